/** A punch as the store keeps it, and as the screen shows it. */
import type { PunchMethod, PunchType, PunchView } from '../../shared/types'
import { formatRfc3339 } from './zoned-time'

export interface PunchRow {
  id: string
  employee_id: string
  employee_name: string
  type: PunchType
  method: PunchMethod
  occurred_at: number
  utc_offset_min: number
  time_zone: string
  local_date: string
  site_id: string
  late: number
  early: number
  corrected_at: number | null
  correction_kind?: 'added' | 'amended' | 'voided' | null
}

/** The punch as the screen shows it. */
export function toPunchView(row: PunchRow): PunchView {
  return {
    id: row.id,
    employeeId: row.employee_id,
    employeeName: row.employee_name,
    type: row.type,
    method: row.method,
    occurredAt: formatRfc3339(row.occurred_at, row.utc_offset_min),
    localTime: formatRfc3339(row.occurred_at, row.utc_offset_min).slice(11, 16),
    localDate: row.local_date,
    late: row.late === 1,
    early: row.early === 1,
    corrected: row.corrected_at !== null || (row.correction_kind ?? null) !== null,
  }
}
