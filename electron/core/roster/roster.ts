/** The people this kiosk knows, read from the store: by badge, by id, by name. */
import type { EmployeeRole, EmployeeSummary } from '../../shared/types'
import { parseWeekdays, type Schedule } from '../attendance/rules'
import { weekFromJson } from '../attendance/shifts'
import type { Store } from '../store/types'

export interface Employee {
  id: string
  name: string
  active: boolean
  pinHash: string | null
  schedule: Schedule
  /** Staff punch; supervisors and admins also open admin mode with their badge and PIN. */
  role: EmployeeRole
}

interface EmployeeRow {
  id: string
  name: string
  active: number
  pin_hash: string | null
  schedule_start: string | null
  schedule_end: string | null
  schedule_days: string | null
  schedule_week: string | null
  role: EmployeeRole
}

/** The roles a roster may give, from least to most allowed. */
export const employeeRoles = [
  'staff',
  'supervisor',
  'admin',
] as const satisfies readonly EmployeeRole[]

/** True for a role the roster may give (exact, lower-case). */
export function isEmployeeRole(value: string): value is EmployeeRole {
  return (employeeRoles as readonly string[]).includes(value)
}

/** Characters a badge reader types; anything else is line noise or a different device. */
const badgePattern = /^[0-9A-Za-z-]+$/

/**
 * A badge as stored and compared: trimmed and upper-cased. Undefined when the text cannot be a
 * badge (bad characters or outside the length bounds).
 */
export function normalizeBadge(raw: string, minLength = 1, maxLength = 64): string | undefined {
  const badge = raw.trim()
  if (badge.length < minLength || badge.length > maxLength || !badgePattern.test(badge)) {
    return undefined
  }
  return badge.toUpperCase()
}

export class Roster {
  constructor(private readonly store: Store) {}

  /** The employee a badge belongs to (active or not), by normalized badge. */
  byBadge(badge: string): Employee | undefined {
    const row = this.store.get<EmployeeRow>(
      `SELECT e.* FROM badges b JOIN employees e ON e.id = b.employee_id WHERE b.badge = ?`,
      [badge],
    )
    return row && toEmployee(row)
  }

  byId(id: string): Employee | undefined {
    const row = this.store.get<EmployeeRow>(`SELECT * FROM employees WHERE id = ?`, [id])
    return row && toEmployee(row)
  }

  /** Active employees whose name or id contains the query, case-insensitive, by name. */
  search(query: string, limit = 20): EmployeeSummary[] {
    const needle = `%${query
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    return this.store.all<EmployeeSummary>(
      `SELECT id, name FROM employees
       WHERE active = 1 AND (lower(name) LIKE ? ESCAPE '\\' OR lower(id) LIKE ? ESCAPE '\\')
       ORDER BY name, id LIMIT ?`,
      [needle, needle, limit],
    )
  }

  /** Everyone the kiosk has known, active or not, by name. */
  everyone(): Employee[] {
    return this.store.all<EmployeeRow>(`SELECT * FROM employees ORDER BY name, id`).map(toEmployee)
  }

  /** Number of employees, active and not. */
  count(): { active: number; inactive: number } {
    const row = this.store.get<{ active: number; inactive: number }>(
      `SELECT COALESCE(SUM(active = 1), 0) AS active, COALESCE(SUM(active = 0), 0) AS inactive
       FROM employees`,
    )
    return row ?? { active: 0, inactive: 0 }
  }
}

function toEmployee(row: EmployeeRow): Employee {
  return {
    id: row.id,
    name: row.name,
    active: row.active === 1,
    pinHash: row.pin_hash,
    schedule: {
      start: row.schedule_start,
      end: row.schedule_end,
      days: row.schedule_days ? (parseWeekdays(row.schedule_days) ?? null) : null,
      ...(row.schedule_week !== null && { week: weekFromJson(row.schedule_week) }),
    },
    role: row.role,
  }
}
