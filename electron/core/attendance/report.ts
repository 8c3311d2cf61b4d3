/**
 * The attendance report: one row per person per working day, and totals per person, with
 * corrections applied. The same figures go to the admin screen, to CSV and to XLSX.
 */
import type {
  AttendanceReportView,
  AttendanceTotals,
  DaySummaryView,
} from '../../shared/attendance-types'
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import { formatCsvRow } from '../csv'
import type { Employee } from '../roster/roster'
import { toDayView } from './day-summary'
import type { Timesheet } from './timesheet'

/** The longest period one report covers, in days: a year and a bit. */
export const MAX_REPORT_DAYS = 370

export const reportColumns = [
  'employee_id',
  'employee_name',
  'date',
  'status',
  'first_in',
  'last_out',
  'worked_minutes',
  'late_minutes',
  'early_minutes',
  'missing_checkout',
  'corrections',
] as const

export const summaryColumns = [
  'employee_id',
  'employee_name',
  'days_present',
  'days_absent',
  'late_count',
  'late_minutes',
  'early_count',
  'early_minutes',
  'missing_checkouts',
  'worked_minutes',
  'attendance_rate',
] as const

/** The report of a period: everyone active, and anyone inactive who punched in it. */
export function attendanceReport(
  timesheet: Timesheet,
  people: readonly Employee[],
  from: string,
  to: string,
): AttendanceReportView {
  const zone = timesheet.calendar.timeZone
  const days = timesheet.days(people, from, to)
  const active = people.filter(
    (person) => person.active || days.some((d) => d.person.id === person.id && d.punches.length),
  )
  const keep = new Set(active.map((p) => p.id))
  const counted = days
    .filter((day) => keep.has(day.person.id))
    .map((day) => ({
      row: toDayView(day.person, day.date, day.figures, zone),
      scheduled: day.shift.scheduled,
    }))
  return { from, to, days: counted.map((d) => d.row), totals: totalsOf(active, counted) }
}

/** Totals per person of their report rows; the rate counts scheduled days only. */
export function totalsOf(
  people: readonly { id: string; name: string }[],
  days: readonly { row: DaySummaryView; scheduled: boolean }[],
): AttendanceTotals[] {
  const byPerson = new Map<string, AttendanceTotals & { scheduled: number }>()
  for (const person of people) {
    byPerson.set(person.id, {
      employeeId: person.id,
      employeeName: person.name,
      daysPresent: 0,
      daysAbsent: 0,
      lateCount: 0,
      lateMinutes: 0,
      earlyCount: 0,
      earlyMinutes: 0,
      missingCheckouts: 0,
      workedMinutes: 0,
      attendanceRate: null,
      scheduled: 0,
    })
  }
  for (const { row, scheduled } of days) {
    const t = byPerson.get(row.employeeId)
    if (!t) continue
    const present = row.status === 'present' || row.status === 'incomplete'
    if (present) t.daysPresent++
    if (row.status === 'absent') t.daysAbsent++
    if (scheduled) t.scheduled++
    if (row.lateMinutes > 0) t.lateCount++
    if (row.earlyMinutes > 0) t.earlyCount++
    t.lateMinutes += row.lateMinutes
    t.earlyMinutes += row.earlyMinutes
    if (row.missingCheckout) t.missingCheckouts++
    t.workedMinutes += row.workedMinutes
  }
  return [...byPerson.values()].map(({ scheduled, ...t }) => ({
    ...t,
    attendanceRate: scheduled > 0 ? round((scheduled - t.daysAbsent) / scheduled) : null,
  }))
}

function round(rate: number): number {
  return Math.round(rate * 1000) / 1000
}

/** The day rows as CSV cells, in `reportColumns` order. */
export function dayCells(row: DaySummaryView): (string | number)[] {
  return [
    row.employeeId,
    row.employeeName,
    row.date,
    row.status,
    row.firstIn ?? '',
    row.lastOut ?? '',
    row.workedMinutes,
    row.lateMinutes,
    row.earlyMinutes,
    String(row.missingCheckout),
    row.corrections,
  ]
}

/** The totals as CSV cells, in `summaryColumns` order. */
export function totalsCells(t: AttendanceTotals): (string | number)[] {
  return [
    t.employeeId,
    t.employeeName,
    t.daysPresent,
    t.daysAbsent,
    t.lateCount,
    t.lateMinutes,
    t.earlyCount,
    t.earlyMinutes,
    t.missingCheckouts,
    t.workedMinutes,
    t.attendanceRate ?? '',
  ]
}

/** The report as CSV text (UTF-8 BOM, CRLF, every text cell defused). */
export function reportCsv(report: AttendanceReportView, summary: boolean): string {
  const lines = summary
    ? [summaryColumns as readonly string[], ...report.totals.map(totalsCells)]
    : [reportColumns as readonly string[], ...report.days.map(dayCells)]
  return `\uFEFF${lines.map((cells) => formatCsvRow(cells)).join('\r\n')}\r\n`
}

/** A real period, from before to, of at most MAX_REPORT_DAYS days. */
export function checkPeriod(from: string, to: string): void {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000
  if (!Number.isFinite(days) || days < 0 || days >= MAX_REPORT_DAYS) {
    throw new ClockfaceError(
      ErrorCode.CorrectionInvalid,
      `A period runs from a date to a later one, at most ${MAX_REPORT_DAYS} days.`,
    )
  }
}
