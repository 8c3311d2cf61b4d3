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
    const found = new Set<string>()
    for (const record of recordsOf(records)) found.add(`${record.userid}\u0000${record.time}`)
    for (const { item, seconds } of group) {
      if (found.has(`${item.punch.employeeId}\u0000${seconds}`)) held.add(item.punch.id)
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

function recordsOf(records: unknown): { userid: string; time: number }[] {
  if (records === undefined || records === null) return []
  if (!Array.isArray(records)) throw new CrmError('malformed', 'unexpected reply from WeCom')
  const out: { userid: string; time: number }[] = []
  for (const record of records as Record<string, unknown>[]) {
    const time = instantOf(record?.['checkin_time'])
    const userid = record?.['userid']
    // A "未打卡" (no check-in) row stands at the scheduled time, not at a punch.
    const missing = String(record?.['exception_type'] ?? '').includes('未打卡')
    if (typeof userid === 'string' && time !== undefined && !missing) out.push({ userid, time })
  }
  return out
}
