/**
 * People's working days over a period, computed from the ledger with corrections applied: what
 * reports, the day board and "My week" show. Each punch belongs to the working day its person's
 * schedule puts it in (a night shift's out belongs to the night before).
 */
import type { Config } from '../config/config'
import type { Employee } from '../roster/roster'
import type { Store } from '../store/types'
import { summarizeDay, type DayFigures, type DayPunch, type DayRules } from './day-summary'
import { dayRowsBetween, type DayRow } from './ledger'
import {
  addDays,
  datesBetween,
  shiftOn,
  siteCalendar,
  weekFrom,
  workingDayBounds,
  workingDayOf,
  type ShiftOnDay,
  type SiteCalendar,
  type WeekSchedule,
} from './shifts'
import { zonedToInstant } from './zoned-time'

export interface PersonDay {
  person: Employee
  date: string
  shift: ShiftOnDay
  figures: DayFigures
  punches: DayRow[]
}

export class Timesheet {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly now: () => number,
  ) {}

  get calendar(): SiteCalendar {
    return siteCalendar(this.config)
  }

  /**
   * Every working day from `from` to `to` (YYYY-MM-DD, both included) of each person, in order
   * of person then date; days that have not begun yet are left out.
   */
  days(people: readonly Employee[], from: string, to: string): PersonDay[] {
    const zone = this.config.timeZone
    const calendar = this.calendar
    const rules = this.rules()
    // A night shift's out lands on the next calendar day; one day either side catches it.
    const start = zonedToInstant(addDays(from, -1), '00:00', zone)
    const end = zonedToInstant(addDays(to, 2), '00:00', zone)
    const only = people.length === 1 ? people[0]!.id : undefined
    const byPerson = new Map<string, DayRow[]>()
    for (const row of dayRowsBetween(this.store, start, end, only)) {
      let rows = byPerson.get(row.employee_id)
      if (!rows) byPerson.set(row.employee_id, (rows = []))
      rows.push(row)
    }
    const dates = datesBetween(from, to)
    const result: PersonDay[] = []
    // People on the same hours share their days' schedules: computed once per week and date.
    const shifts = new Map<string, { shift: ShiftOnDay; bounds: { from: number; to: number } }>()
    for (const person of people) {
      const week = weekFrom(person.schedule)
      const weekKey = JSON.stringify(week)
      const byDay = new Map<string, DayRow[]>()
      for (const row of byPerson.get(person.id) ?? []) {
        const day = workingDayOf(row.occurred_at, week, zone)
        let rows = byDay.get(day)
        if (!rows) byDay.set(day, (rows = []))
        rows.push(row)
      }
      for (const date of dates) {
        const key = `${weekKey}|${date}`
        let day = shifts.get(key)
        if (!day) {
          day = { shift: shiftOn(date, week, calendar), bounds: workingDayBounds(date, week, zone) }
          shifts.set(key, day)
        }
        const { shift, bounds } = day
        if (bounds.from > rules.now) break
        const punches = byDay.get(date) ?? []
        const figures = summarizeDay(punches.map(toDayPunch), shift, bounds.to, rules)
        result.push({ person, date, shift, figures, punches })
      }
    }
    return result
  }

  /** The working day an instant belongs to for this person. */
  workingDay(person: Employee, instant: number): string {
    return workingDayOf(instant, weekFrom(person.schedule), this.config.timeZone)
  }

  /** The person's week as the rules see it. */
  week(person: Employee): WeekSchedule {
    return weekFrom(person.schedule)
  }

  rules(): DayRules {
    const { attendance, timeZone } = this.config
    return {
      timeZone,
      lateGraceMinutes: attendance.lateGraceMinutes,
      earlyGraceMinutes: attendance.earlyGraceMinutes,
      maxShiftMs: attendance.maxShiftHours * 3_600_000,
      now: this.now(),
    }
  }
}

function toDayPunch(row: DayRow): DayPunch {
  return {
    type: row.type,
    occurredAt: row.occurred_at,
    method: row.auto ? 'auto' : 'other',
    effective: row.effective,
    correction: row.correction,
  }
}
