/**
 * The admin's day at a glance, and a person's own week: both read from the timesheet, so they
 * show exactly what the report will.
 */
import type { CorrectionRequestView, DayBoardView, MyWeekView } from '../../shared/attendance-types'
import type { Config } from '../config/config'
import type { Employee, Roster } from '../roster/roster'
import type { Store } from '../store/types'
import { toDayView } from './day-summary'
import { isEffective, ledgerBetween, unansweredIns } from './ledger'
import { toPunchView } from './punch-row'
import { addDays, weekdayOf, weekFrom, workingDayOf } from './shifts'
import type { Timesheet } from './timesheet'
import { formatRfc3339, zonedParts, zonedToInstant } from './zoned-time'

/** How far back the board looks for check-ins left open. */
export const OPEN_LOOKBACK_DAYS = 31

export class DayBoard {
  constructor(
    private readonly store: Store,
    private readonly roster: Roster,
    private readonly timesheet: Timesheet,
    private readonly config: Config,
    private readonly now: () => number,
    private readonly pending: () => CorrectionRequestView[],
  ) {}

  /** The board for a working day (today when null). */
  board(date: string | null): DayBoardView {
    const now = this.now()
    const zone = this.config.timeZone
    const today = date ?? zonedParts(now, zone).date
    const people = this.roster.everyone().filter((person) => person.active)
    const days = this.timesheet.days(people, today, today)
    const view = (d: (typeof days)[number]) => toDayView(d.person, d.date, d.figures, zone)
    const started = (d: (typeof days)[number]) => d.punches.some((p) => p.effective)
    return {
      date: today,
      at: formatRfc3339(now, zonedParts(now, zone).offsetMinutes),
      inNow: days
        .filter((d) => d.figures.openIn !== null && d.figures.status !== 'incomplete')
        .map(view),
      lateToday: days.filter((d) => d.figures.lateMinutes > 0).map(view),
      notYetIn: days
        .filter((d) => d.shift.scheduled && !started(d))
        .sort((a, b) => (a.shift.start ?? 0) - (b.shift.start ?? 0))
        .map(view),
      openCheckouts: this.openCheckouts(people, now),
      pendingCorrections: this.pending(),
    }
  }

  /**
   * Ins of the last OPEN_LOOKBACK_DAYS whose check-out never came and whose working day is
   * over, newest first: whether or not the person has punched since.
   */
  private openCheckouts(people: readonly Employee[], now: number): DayBoardView['openCheckouts'] {
    const zone = this.config.timeZone
    const maxShiftMs = this.config.attendance.maxShiftHours * 3_600_000
    const byId = new Map(people.map((person) => [person.id, person]))
    const since = now - OPEN_LOOKBACK_DAYS * 86_400_000
    const open: DayBoardView['openCheckouts'] = []
    for (const row of unansweredIns(this.store, since, now, maxShiftMs)) {
      const person = byId.get(row.employee_id)
      if (!person) continue
      const week = weekFrom(person.schedule)
      const day = workingDayOf(row.occurred_at, week, zone)
      const over = day !== workingDayOf(now, week, zone) || now - row.occurred_at >= maxShiftMs
      if (!over) continue
      open.push({
        employeeId: person.id,
        employeeName: person.name,
        date: day,
        checkedInAt: formatRfc3339(row.occurred_at, row.utc_offset_min),
        punchId: row.id,
      })
    }
    return open.reverse()
  }

  /** The week (Monday to today) of the person who made `punchId`. */
  myWeek(person: Employee, instant: number): MyWeekView {
    const zone = this.config.timeZone
    const today = workingDayOf(instant, weekFrom(person.schedule), zone)
    const monday = addDays(today, 1 - weekdayOf(today))
    const days = this.timesheet.days([person], monday, today)
    const from = zonedToInstant(addDays(monday, -1), '00:00', zone)
    const to = zonedToInstant(addDays(today, 2), '00:00', zone)
    const punches = ledgerBetween(this.store, from, to, person.id)
      .filter((row) => isEffective(row) && row.local_date >= monday && row.local_date <= today)
      .map(toPunchView)
    return {
      employeeName: person.name,
      days: days.map((d) => toDayView(person, d.date, d.figures, zone)),
      punches,
    }
  }
}
