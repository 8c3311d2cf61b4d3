/**
 * Roster import from CSV for sites without a CRM. Good rows are imported in one durable step,
 * bad rows are reported with their line numbers and reasons, and re-importing updates people
 * rather than duplicating them.
 */
import type { EmployeeRole } from '../../shared/types'
import { CsvError, headerDelimiter, parseCsv, restoreDefused } from '../csv'
import { parseClockTime } from '../attendance/zoned-time'
import { parseWeekdays } from '../attendance/rules'
import { parseWeekSchedule, weekToJson } from '../attendance/shifts'
import { auditEntry } from '../audit/audit'
import { eraseFaceData } from '../faces/face-data'
import type { Statement, Store } from '../store/types'
import { hashPin, isValidPin } from './pin'
import { isEmployeeRole, normalizeBadge } from './roster'

export interface RosterRow {
  line: number
  id: string
  name: string
  badges: string[]
  pin: string | null
  active: boolean
  scheduleStart: string | null
  scheduleEnd: string | null
  scheduleDays: string | null
  /** Hours per weekday (`schedule` column, e.g. "1-5 09:00-18:00; 6 10:00-14:00"), as JSON. */
  scheduleWeek: string | null
  /** Null when the file has no role column: a re-import keeps the stored role. */
  role: EmployeeRole | null
}

export interface ImportReport {
  added: number
  updated: number
  rejected: { line: number; reason: string }[]
  /** Header columns that are not part of the format and were ignored. */
  ignoredColumns: string[]
}

/** The file as a whole cannot be read as a roster; nothing was imported. */
export class RosterFileError extends Error {
  override name = 'RosterFileError'
}

const required = ['id', 'name', 'badge'] as const
const optional = [
  'pin',
  'active',
  'schedule_start',
  'schedule_end',
  'schedule_days',
  'schedule',
  'role',
] as const
const truthy = new Set(['', '1', 'true', 'yes', 'y'])
const falsy = new Set(['0', 'false', 'no', 'n'])

/** Parses and checks a roster CSV; throws only when the file as a whole is unusable. */
export function parseRosterCsv(text: string): {
  rows: RosterRow[]
  rejected: ImportReport['rejected']
  ignoredColumns: string[]
} {
  let records
  try {
    records = parseCsv(text, headerDelimiter(text))
  } catch (error) {
    if (error instanceof CsvError) throw new RosterFileError(`roster: ${error.message}`)
    throw error
  }
  const header = records.shift()
  if (!header)
    throw new RosterFileError('roster: the file is empty; expected a header row id,name,badge')
  const columns = header.fields.map((f) => f.trim().toLowerCase())
  const missing = required.filter((c) => !columns.includes(c))
  if (missing.length > 0) {
    throw new RosterFileError(
      `roster: the header row lacks ${missing.join(', ')}; it must name id, name and badge`,
    )
  }
  const known = new Set<string>([...required, ...optional])
  const rows: RosterRow[] = []
  const rejected: ImportReport['rejected'] = []
  for (const record of records) {
    if (record.fields.length !== columns.length) {
      rejected.push({
        line: record.line,
        reason: `expected ${columns.length} fields as in the header, found ${record.fields.length}`,
      })
      continue
    }
    const cell = (name: string) =>
      restoreDefused((record.fields[columns.indexOf(name)] ?? '').trim())
    const reason = checkRow(cell, columns.includes('role'))
    if (typeof reason === 'string') rejected.push({ line: record.line, reason })
    else rows.push({ ...reason, line: record.line })
  }
  return { rows, rejected, ignoredColumns: columns.filter((c) => !known.has(c)) }
}

function checkRow(
  cell: (name: string) => string,
  hasRole: boolean,
): Omit<RosterRow, 'line'> | string {
  const id = cell('id')
  const name = cell('name')
  if (!id || id.length > 128 || /[\p{Cc}]/u.test(id)) return 'id must be 1 to 128 characters'
  if (!name || name.length > 200 || /[\p{Cc}]/u.test(name))
    return 'name must be 1 to 200 characters'
  const badges: string[] = []
  for (const raw of cell('badge')
    .split(';')
    .map((b) => b.trim())
    .filter(Boolean)) {
    const badge = normalizeBadge(raw)
    if (!badge) return `badge "${raw}" may hold only letters, digits and "-", at most 64`
    if (!badges.includes(badge)) badges.push(badge)
  }
  const pin = cell('pin')
  if (pin && !isValidPin(pin)) return 'pin must be 4 to 8 digits'
  const active = cell('active').toLowerCase()
  if (!truthy.has(active) && !falsy.has(active)) return 'active must be 1/0, true/false or yes/no'
  const scheduleStart = cell('schedule_start')
  const scheduleEnd = cell('schedule_end')
  for (const [column, value] of [
    ['schedule_start', scheduleStart],
    ['schedule_end', scheduleEnd],
  ]) {
    if (value && parseClockTime(value!) === undefined)
      return `${column} must be HH:MM, got "${value}"`
  }
  const scheduleDays = cell('schedule_days')
  if (scheduleDays && !parseWeekdays(scheduleDays)) {
    return `schedule_days must list weekdays 1 (Monday) to 7, e.g. "1-5", got "${scheduleDays}"`
  }
  const schedule = cell('schedule')
  const week = schedule ? parseWeekSchedule(schedule) : undefined
  if (schedule && !week) {
    return `schedule must be weekdays and hours like "1-5 09:00-18:00; 6 10:00-14:00", got "${schedule}"`
  }
  const role = cell('role').toLowerCase() || 'staff'
  if (!isEmployeeRole(role)) {
    return `role must be staff, supervisor or admin (empty is staff), got "${cell('role')}"`
  }
  return {
    id,
    name,
    badges,
    pin: pin || null,
    active: truthy.has(active),
    scheduleStart: scheduleStart || null,
    scheduleEnd: scheduleEnd || null,
    scheduleDays: scheduleDays || null,
    scheduleWeek: weekToJson(week),
    role: hasRole ? role : null,
  }
}

/** Imports the good rows of a roster CSV in one durable commit and reports the rest. */
export function importRoster(store: Store, text: string, now: number): ImportReport {
  const parsed = parseRosterCsv(text)
  const rejected = [...parsed.rejected]
  const accepted = rejectConflicts(store, parsed.rows, rejected)
  const statements: Statement[] = []
  let added = 0
  for (const row of accepted) {
    const exists = store.get(`SELECT 1 FROM employees WHERE id = ?`, [row.id])
    if (!exists) added++
    statements.push(
      [
        `INSERT INTO employees (id, name, active, pin_hash, schedule_start, schedule_end,
           schedule_days, schedule_week, role, source, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, 'staff'), 'csv', ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, active = excluded.active,
           pin_hash = COALESCE(excluded.pin_hash, employees.pin_hash),
           schedule_start = excluded.schedule_start, schedule_end = excluded.schedule_end,
           schedule_days = excluded.schedule_days, schedule_week = excluded.schedule_week,
           role = CASE WHEN ? IS NULL THEN employees.role ELSE excluded.role END,
           source = 'csv', updated_at = excluded.updated_at`,
        [
          row.id,
          row.name,
          row.active ? 1 : 0,
          row.pin ? hashPin(row.pin) : null,
          row.scheduleStart,
          row.scheduleEnd,
          row.scheduleDays,
          row.scheduleWeek,
          row.role,
          now,
          row.role,
        ],
      ],
      [`DELETE FROM badges WHERE employee_id = ?`, [row.id]],
      // An inactive person's biometric data goes with their deactivation.
      ...(row.active ? [] : eraseFaceData(row.id, 'cli', 'inactive in the roster file', now)),
    )
  }
  // Badges go in only after every re-imported person's old badges are gone: one may move.
  for (const row of accepted) {
    for (const badge of row.badges) {
      statements.push([`INSERT INTO badges (badge, employee_id) VALUES (?, ?)`, [badge, row.id]])
    }
  }
  if (statements.length > 0) {
    statements.push(
      auditEntry(now, 'cli', 'roster.import', null, {
        added,
        updated: accepted.length - added,
        rejected: rejected.length,
      }),
    )
    store.commit(statements)
  }
  rejected.sort((a, b) => a.line - b.line)
  return {
    added,
    updated: accepted.length - added,
    rejected,
    ignoredColumns: parsed.ignoredColumns,
  }
}

/** Drops rows that repeat an id or take a badge someone else keeps; records why. */
function rejectConflicts(
  store: Store,
  rows: RosterRow[],
  rejected: ImportReport['rejected'],
): RosterRow[] {
  const ids = new Set<string>()
  const badgeOwners = new Map<string, string>()
  let accepted: RosterRow[] = []
  for (const row of rows) {
    if (ids.has(row.id)) {
      rejected.push({ line: row.line, reason: `id "${row.id}" appears on an earlier line` })
      continue
    }
    const clash = row.badges.find((badge) => (badgeOwners.get(badge) ?? row.id) !== row.id)
    if (clash) {
      rejected.push({ line: row.line, reason: `badge "${clash}" is on an earlier line too` })
      continue
    }
    ids.add(row.id)
    for (const badge of row.badges) badgeOwners.set(badge, row.id)
    accepted.push(row)
  }
  // A stored badge is free only if its holder is re-imported in this file (their row replaces
  // their badges); dropping a row may keep another badge taken, so repeat until stable.
  for (let changed = true; changed;) {
    const replaced = new Set(accepted.map((r) => r.id))
    const kept: RosterRow[] = []
    for (const row of accepted) {
      const clash = row.badges.find((badge) => {
        const owner = store.get<{ employee_id: string }>(
          `SELECT employee_id FROM badges WHERE badge = ?`,
          [badge],
        )?.employee_id
        return owner !== undefined && owner !== row.id && !replaced.has(owner)
      })
      if (clash)
        rejected.push({
          line: row.line,
          reason: `badge "${clash}" already belongs to someone else`,
        })
      else kept.push(row)
    }
    changed = kept.length !== accepted.length
    accepted = kept
  }
  return accepted
}
