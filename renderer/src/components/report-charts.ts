/** The report's figures shaped for charts and the month grid; pure, so they are tested alone. */
import type { DayStatus, DaySummaryView } from '../../../electron/shared/attendance-types'
import { addDays, isoWeekday } from '../stores/working-days'

export interface DaySeries {
  dates: string[]
  /** Attendance rate per day in percent; null on a day nobody was scheduled. */
  rate: (number | null)[]
  /** People late per day. */
  late: number[]
}

const scheduled = (status: DayStatus) =>
  status === 'present' || status === 'incomplete' || status === 'absent'
const attended = (status: DayStatus) => status === 'present' || status === 'incomplete'

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let day = from; day <= to && days.length < 400; day = addDays(day, 1)) days.push(day)
  return days
}

/** Attendance rate and late arrivals for each day of the period. */
export function daySeries(from: string, to: string, rows: DaySummaryView[]): DaySeries {
  const dates = daysBetween(from, to)
  const byDate = new Map<string, DaySummaryView[]>()
  for (const row of rows) byDate.set(row.date, [...(byDate.get(row.date) ?? []), row])
  const rate = dates.map((date) => {
    const due = (byDate.get(date) ?? []).filter((row) => scheduled(row.status))
    if (!due.length) return null
    const came = due.filter((row) => attended(row.status)).length
    return Math.round((came / due.length) * 1000) / 10
  })
  const late = dates.map((date) => (byDate.get(date) ?? []).filter((r) => r.lateMinutes > 0).length)
  return { dates, rate, late }
}

/** How a day looks in the month grid: its status, or late / early on top of being present. */
export type CellLook = DayStatus | 'late' | 'none'

export interface MonthCell {
  date: string
  look: CellLook
  day: DaySummaryView | null
}

/** One person's days as calendar weeks, Monday first; days outside the period are blank. */
export function personWeeks(
  from: string,
  to: string,
  rows: DaySummaryView[],
): (MonthCell | null)[][] {
  const byDate = new Map(rows.map((row) => [row.date, row]))
  const weeks: (MonthCell | null)[][] = []
  let week: (MonthCell | null)[] = Array.from({ length: isoWeekday(from) - 1 }, () => null)
  for (const date of daysBetween(from, to)) {
    const day = byDate.get(date) ?? null
    const late = day && (day.lateMinutes > 0 || day.earlyMinutes > 0) && day.status === 'present'
    week.push({ date, day, look: !day ? 'none' : late ? 'late' : day.status })
    if (week.length === 7) {
      weeks.push(week)
      week = []
    }
  }
  if (week.length) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)])
  return weeks
}
