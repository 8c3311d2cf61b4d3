/**
 * Finding punches WeCom already holds: getcheckindata takes at most 100 people and 30 days a
 * call, so the punches to look for are grouped to fit, and matched on (userid, second).
 */
import type { OutgoingPunch } from '../connector'
import { CrmError } from '../http'
import { instantOf } from '../platform-reply'

const MAX_USERS = 100
// Under getcheckindata's 30-day limit, with room for the one-second margins.
const MAX_SPAN_SECONDS = 29 * 24 * 3600
// opencheckindatatype 3: every kind of check-in record.
const ALL_RECORDS = 3

export interface Sought {
  item: OutgoingPunch
  seconds: number
}

export interface CheckinQuery {
  opencheckindatatype: number
  starttime: number
  endtime: number
  useridlist: string[]
}

/** The ids of `sought` that WeCom holds, asking `query` once per group that fits its limits. */
export async function findHeld(
  sought: readonly Sought[],
  query: (body: CheckinQuery) => Promise<unknown>,
): Promise<Set<string>> {
  const held = new Set<string>()
  for (const group of groups(sought)) {
    const users = [...new Set(group.map(({ item }) => item.punch.employeeId))]
    const records = await query({
      opencheckindatatype: ALL_RECORDS,
      starttime: group[0]!.seconds - 1,
      endtime: group[group.length - 1]!.seconds + 1,
      useridlist: users,
    })
    const notes = new Map<string, string[]>()
    for (const record of recordsOf(records)) {
      const key = `${record.userid}\u0000${record.time}`
      notes.set(key, [...(notes.get(key) ?? []), record.notes])
    }
    for (const { item, seconds } of group) {
      const there = notes.get(`${item.punch.employeeId}\u0000${seconds}`) ?? []
      // The note names the punch, so two punches of one person in one second stay two; a
      // record without a punch id in its note (notes edited away) counts by person and second.
      if (there.some((note) => note.includes(item.punch.id) || !PUNCH_ID.test(note))) {
        held.add(item.punch.id)
      }
    }
  }
  return held
}

function groups(sought: readonly Sought[]): Sought[][] {
  const sorted = [...sought].sort((a, b) => a.seconds - b.seconds)
  const out: Sought[][] = []
  let current: Sought[] = []
  let users = new Set<string>()
  for (const entry of sorted) {
    const user = entry.item.punch.employeeId
    const tooLong = current.length > 0 && entry.seconds - current[0]!.seconds > MAX_SPAN_SECONDS
    const tooMany = !users.has(user) && users.size >= MAX_USERS
    if (tooLong || tooMany) {
      out.push(current)
      current = []
      users = new Set()
    }
    current.push(entry)
    users.add(user)
  }
  if (current.length > 0) out.push(current)
  return out
}

const PUNCH_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

/** The record's note (打卡备注): the direction and the punch id, so a look-up can tell punches apart. */
export function noteFor({ punch }: OutgoingPunch): string {
  return `Clockface ${punch.type === 'in' ? 'check-in' : 'check-out'} ${punch.id}`
}

function recordsOf(records: unknown): { userid: string; time: number; notes: string }[] {
  if (records === undefined || records === null) return []
  if (!Array.isArray(records)) throw new CrmError('malformed', 'unexpected reply from WeCom')
  const out: { userid: string; time: number; notes: string }[] = []
  for (const record of records as Record<string, unknown>[]) {
    const time = instantOf(record?.['checkin_time'])
    const userid = record?.['userid']
    // A "未打卡" (no check-in) row stands at the scheduled time, not at a punch.
    const missing = String(record?.['exception_type'] ?? '').includes('未打卡')
    const notes = typeof record?.['notes'] === 'string' ? record['notes'] : ''
    if (typeof userid === 'string' && time !== undefined && !missing) {
      out.push({ userid, time, notes })
    }
  }
  return out
}
