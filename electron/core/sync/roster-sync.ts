/**
 * Keeps the local roster in step with the CRM: a full sync first, then changes by cursor, page
 * by page. Each page and the cursor after it are one durable commit, so a crash mid-sync
 * resumes where it stopped. The kiosk keeps identifying people from this copy while offline.
 */
import { parseClockTime } from '../attendance/zoned-time'
import { eraseFaceData } from '../faces/face-data'
import { normalizeBadge } from '../roster/roster'
import type { Statement, Store } from '../store/types'
import { CRM_ROLES, type CrmEmployee, type CrmRole } from './crm-types'

export interface RosterSource {
  roster(query: { cursor?: string; siteId?: string }): Promise<{
    employees: CrmEmployee[]
    cursor: string
    hasMore: boolean
  }>
}

const cursorKey = 'roster.cursor'
const syncedAtKey = 'roster.syncedAt'
const saveState = `INSERT INTO sync_state (key, value) VALUES (?, ?)
  ON CONFLICT(key) DO UPDATE SET value = excluded.value`
const maxPages = 10_000

/** Told of each person becoming inactive here, before the commit that erases their face data. */
export type OnDeactivated = (employeeId: string) => void

/** What roster sync tells its caller about while it works. */
export interface RosterHooks {
  onDeactivated?: OnDeactivated
  /** Something in the CRM's answer was taken in a safer form than sent (e.g. a role it lacks). */
  warn?: (message: string) => void
}

/** Pulls every change since the stored cursor; returns how many employees changed. The last
 * page's commit also records `now` as the end of a complete sync. */
export async function syncRoster(
  store: Store,
  source: RosterSource,
  siteId: string,
  now: number,
  hooks: RosterHooks = {},
): Promise<number> {
  const { onDeactivated = () => {}, warn = () => {} } = hooks
  let cursor = store.get<{ value: string }>(`SELECT value FROM sync_state WHERE key = ?`, [
    cursorKey,
  ])?.value
  let changed = 0
  for (let page = 0; page < maxPages; page++) {
    const answer = await source.roster({ ...(cursor ? { cursor } : {}), siteId })
    const statements = answer.employees.flatMap((e) =>
      upsertEmployee(e, roleOf(e, warn), siteId, now),
    )
    statements.push([saveState, [cursorKey, answer.cursor]])
    if (!answer.hasMore) statements.push([saveState, [syncedAtKey, String(now)]])
    // Their face keys go before the commit: a crash between leaves nothing readable behind.
    for (const e of answer.employees) if (!isActiveHere(e, siteId)) onDeactivated(e.id)
    store.commit(statements)
    changed += answer.employees.length
    if (!answer.hasMore) return changed
    if (answer.cursor === cursor)
      throw new Error('the CRM repeated its roster cursor; sync stopped')
    cursor = answer.cursor
  }
  throw new Error(`the CRM roster did not end after ${maxPages} pages; sync stopped`)
}

/** When the last complete roster sync ended (ms), or null if the CRM's list never arrived. */
export function rosterSyncedAt(store: Store): number | null {
  const value = store.get<{ value: string }>(`SELECT value FROM sync_state WHERE key = ?`, [
    syncedAtKey,
  ])?.value
  return value !== undefined ? Number(value) : null
}

/** Active and listed for this site (or for every site). */
function isActiveHere(e: CrmEmployee, siteId: string): boolean {
  // Listed for other sites only: this kiosk must not recognise them.
  return e.active && (!e.siteIds || e.siteIds.length === 0 || e.siteIds.includes(siteId))
}

/** The contract's role, or staff (which grants nothing) for a role this kiosk does not know. */
function roleOf(e: CrmEmployee, warn: (message: string) => void): CrmRole {
  if (e.role === undefined) return 'staff'
  if ((CRM_ROLES as readonly string[]).includes(e.role)) return e.role as CrmRole
  const shown = JSON.stringify(e.role.replace(/[^\x20-\x7e]/g, '?').slice(0, 32))
  warn(
    `roster: employee ${JSON.stringify(e.id.slice(0, 128))} has role ${shown}, which this kiosk does not know; stored as staff`,
  )
  return 'staff'
}

function upsertEmployee(e: CrmEmployee, role: CrmRole, siteId: string, now: number): Statement[] {
  const active = isActiveHere(e, siteId)
  const badges = [
    ...new Set((e.badges ?? []).map((b) => normalizeBadge(b)).filter((b) => b !== undefined)),
  ]
  const statements: Statement[] = [
    [
      `INSERT INTO employees (id, name, active, role, schedule_start, schedule_end, schedule_days, source, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'crm', ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, active = excluded.active,
         role = excluded.role, schedule_start = excluded.schedule_start,
         schedule_end = excluded.schedule_end, schedule_days = excluded.schedule_days,
         schedule_week = NULL, source = 'crm', updated_at = excluded.updated_at`,
      [
        e.id,
        e.name,
        active ? 1 : 0,
        role,
        clockTime(e.schedule?.start),
        clockTime(e.schedule?.end),
        e.schedule?.days?.length ? e.schedule.days.join(',') : null,
        now,
      ],
    ],
    [`DELETE FROM badges WHERE employee_id = ?`, [e.id]],
  ]
  for (const badge of badges) {
    // The CRM is the source of truth: a badge it gives this person is taken from anyone else.
    statements.push([`DELETE FROM badges WHERE badge = ?`, [badge]])
    statements.push([`INSERT INTO badges (badge, employee_id) VALUES (?, ?)`, [badge, e.id]])
  }
  if (!active)
    statements.push(...eraseFaceData(e.id, 'crm', 'not active at this site in the CRM', now))
  return statements
}

/** A schedule time only when it is a real HH:MM; anything else means "no schedule". */
function clockTime(text: string | undefined): string | null {
  return text !== undefined && parseClockTime(text) !== undefined ? text : null
}
