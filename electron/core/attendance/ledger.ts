/**
 * The ledger: every punch ever acknowledged, never edited, and the view of it with corrections
 * applied. A punch counts (is effective) unless a later correction supersedes it or it is itself
 * a void; an amendment counts in place of what it supersedes, so chains of corrections resolve
 * to their last link.
 */
import type { LedgerPunchView } from '../../shared/attendance-types'
import type { Store } from '../store/types'
import { toPunchView, type PunchRow } from './punch-row'
import { formatRfc3339 } from './zoned-time'

export interface LedgerRow extends PunchRow {
  correction_kind: 'added' | 'amended' | 'voided' | null
  supersedes: string | null
  entered_by: string | null
  entered_at: number | null
  correction_reason: string | null
  /** Id of the correction that supersedes this punch, if any. */
  superseded_by: string | null
}

/** SQL that selects ledger rows of `punches p` with who superseded them. */
const LEDGER_SELECT = `SELECT p.*, (SELECT s.id FROM punches s WHERE s.supersedes = p.id LIMIT 1)
  AS superseded_by FROM punches p`

/** SQL true when the punch row `alias` counts: not a void, and nothing supersedes it. */
function effective(alias: string): string {
  return `${alias}.correction_kind IS NOT 'voided'
    AND NOT EXISTS (SELECT 1 FROM punches s WHERE s.supersedes = ${alias}.id)`
}

/** True when the punch counts in the day's figures. */
export function isEffective(row: LedgerRow): boolean {
  return row.superseded_by === null && row.correction_kind !== 'voided'
}

/** Every punch with occurred_at in [from, to), by person and time; one person when named. */
export function ledgerBetween(
  store: Store,
  from: number,
  to: number,
  employeeId?: string,
): LedgerRow[] {
  if (employeeId !== undefined) {
    return store.all<LedgerRow>(
      `${LEDGER_SELECT} WHERE p.employee_id = ? AND p.occurred_at >= ? AND p.occurred_at < ?
       ORDER BY p.occurred_at, p.rowid`,
      [employeeId, from, to],
    )
  }
  return store.all<LedgerRow>(
    `${LEDGER_SELECT} WHERE p.occurred_at >= ? AND p.occurred_at < ?
     ORDER BY p.employee_id, p.occurred_at, p.rowid`,
    [from, to],
  )
}

/** One ledger row by id. */
export function ledgerRow(store: Store, id: string): LedgerRow | undefined {
  return store.get<LedgerRow>(`${LEDGER_SELECT} WHERE p.id = ?`, [id])
}

/**
 * The person's latest effective punch at or before `at`. Walks back from the newest through
 * the index, so a void or a superseded punch on top costs a step, not a scan.
 */
export function latestEffective(
  store: Store,
  employeeId: string,
  at = Number.MAX_SAFE_INTEGER,
): LedgerRow | undefined {
  // Nothing supersedes the row this finds, so it asks for no superseded_by of its own.
  return store.get<LedgerRow>(
    `SELECT p.*, NULL AS superseded_by FROM punches p WHERE p.employee_id = ? AND p.occurred_at <= ?
       AND ${effective('p')}
     ORDER BY p.occurred_at DESC, p.rowid DESC LIMIT 1`,
    [employeeId, at],
  )
}

/** The punch as the admin's history shows it, with its correction and what replaced it. */
export function toLedgerView(row: LedgerRow): LedgerPunchView {
  return {
    ...toPunchView(row),
    correction: row.correction_kind
      ? {
          kind: row.correction_kind,
          supersedes: row.supersedes,
          reason: row.correction_reason ?? '',
          enteredBy: row.entered_by ?? '',
          enteredAt: formatRfc3339(row.entered_at ?? row.occurred_at, row.utc_offset_min),
        }
      : null,
    supersededBy: row.superseded_by,
    effective: isEffective(row),
  }
}

/** A punch as the timesheet needs it: enough to place it and count it, nothing more. */
export interface DayRow {
  employee_id: string
  type: 'in' | 'out'
  occurred_at: number
  /** Made by the automatic check-out. */
  auto: boolean
  /** A correction of any kind. */
  correction: boolean
  /** Counts in the day's figures (see isEffective). */
  effective: boolean
}

type RawDayRow = {
  employee_id: string
  is_in: number
  occurred_at: number
  auto: number
  correction: number
  effective: number
}

/**
 * The timesheet's punches with occurred_at in [from, to), by person and time. Only numbers and
 * the person's id come back: a month of 500 people is tens of thousands of rows.
 */
export function dayRowsBetween(
  store: Store,
  from: number,
  to: number,
  employeeId?: string,
): DayRow[] {
  // The superseded ids are few (corrections are rare) and looked up once, as a set.
  const columns = `employee_id, type = 'in' AS is_in, occurred_at, method = 'auto' AS auto,
    correction_kind IS NOT NULL AS correction,
    (correction_kind IS NOT 'voided'
      AND id NOT IN (SELECT supersedes FROM punches WHERE supersedes IS NOT NULL)) AS effective`
  const rows =
    employeeId === undefined
      ? store.all<RawDayRow>(
          `SELECT ${columns} FROM punches WHERE occurred_at >= ? AND occurred_at < ?
           ORDER BY employee_id, occurred_at, rowid`,
          [from, to],
        )
      : store.all<RawDayRow>(
          `SELECT ${columns} FROM punches WHERE employee_id = ? AND occurred_at >= ?
             AND occurred_at < ? ORDER BY occurred_at, rowid`,
          [employeeId, from, to],
        )
  return rows.map((row) => ({
    employee_id: row.employee_id,
    type: row.is_in ? 'in' : 'out',
    occurred_at: row.occurred_at,
    auto: row.auto === 1,
    correction: row.correction === 1,
    effective: row.effective === 1,
  }))
}

/**
 * Effective ins of active people in [from, to] that no effective out follows within
 * `withinMs`: check-ins whose check-out never came, oldest first.
 */
export function unansweredIns(
  store: Store,
  from: number,
  to: number,
  withinMs: number,
): { employee_id: string; id: string; occurred_at: number; utc_offset_min: number }[] {
  return store.all(
    `SELECT p.employee_id, p.id, p.occurred_at, p.utc_offset_min
     FROM punches p JOIN employees e ON e.id = p.employee_id AND e.active = 1
     WHERE p.type = 'in' AND p.occurred_at >= ? AND p.occurred_at <= ? AND ${effective('p')}
       AND NOT EXISTS (
         SELECT 1 FROM punches q WHERE q.employee_id = p.employee_id AND q.type = 'out'
           AND q.occurred_at > p.occurred_at AND q.occurred_at <= p.occurred_at + ?
           AND ${effective('q')})
     ORDER BY p.occurred_at`,
    [from, to, withinMs],
  )
}
