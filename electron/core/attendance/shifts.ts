/**
 * Working days as real sites have them: a schedule per ISO weekday, shifts that cross midnight
 * (22:00–06:00 counts for the day it starts), and site holidays. Every instant is computed in the
 * site's zone, so a shift across a DST change lasts its real elapsed time.
 */
import { parseClockTime, zonedParts, zonedToInstant } from './zoned-time'

/** One day's hours, HH:MM local; either may be missing. An end at or before the start is the next day's. */
export interface DayHours {
  start: string | null
  end: string | null
}

/** Hours by ISO weekday (1 = Monday … 7 = Sunday); a missing weekday is a day off. */
export type WeekSchedule = Partial<Record<number, DayHours>>

/** The site's calendar: its zone and its holidays (YYYY-MM-DD, neither absences nor late days). */
export interface SiteCalendar {
  timeZone: string
  holidays: ReadonlySet<string>
}

/** A working day's schedule, resolved to instants; null fields where the schedule has none. */
export interface ShiftOnDay {
  date: string
  weekday: number
  /** Scheduled: the weekday has hours and the date is not a holiday. */
  scheduled: boolean
  holiday: boolean
  start: number | null
  end: number | null
  /** The end falls on the next calendar day. */
  overnight: boolean
}

/** The date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** ISO weekday of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1
}

/** The dates from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = []
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date)
  return dates
}

const instants = new Map<string, number>()

/** zonedToInstant, remembered: reports ask for the same few schedule times over and over. */
function instantOf(date: string, time: string, zone: string): number {
  const key = `${zone}|${date}|${time}`
  let instant = instants.get(key)
  if (instant === undefined) {
    if (instants.size > 100_000) instants.clear()
    instant = zonedToInstant(date, time, zone)
    instants.set(key, instant)
  }
  return instant
}

function isOvernight(hours: DayHours | undefined): boolean {
  if (!hours?.start || !hours.end) return false
  return parseClockTime(hours.end)! <= parseClockTime(hours.start)!
}

/** The schedule of one working day. */
export function shiftOn(date: string, week: WeekSchedule, calendar: SiteCalendar): ShiftOnDay {
  const weekday = weekdayOf(date)
  const hours = week[weekday]
  const holiday = calendar.holidays.has(date)
  const overnight = isOvernight(hours)
  const zone = calendar.timeZone
  return {
    date,
    weekday,
    scheduled: !holiday && !!(hours?.start || hours?.end),
    holiday,
    start: hours?.start ? instantOf(date, hours.start, zone) : null,
    end: hours?.end ? instantOf(overnight ? addDays(date, 1) : date, hours.end, zone) : null,
    overnight,
  }
}

/**
 * Where an overnight shift's day stops on the next calendar day: halfway through the time off
 * between its end and its start, so an out at 06:10 belongs to the night before and an in at
 * 21:50 to the night ahead.
 */
function overnightCutoff(date: string, hours: DayHours, zone: string): number {
  const offMinutes = parseClockTime(hours.start!)! - parseClockTime(hours.end!)!
  return instantOf(addDays(date, 1), hours.end!, zone) + (offMinutes / 2) * 60_000
}

const nightShifts = new WeakMap<WeekSchedule, boolean>()

/** Whether any day of the week is a night shift (else working days are calendar days). */
function hasNightShift(week: WeekSchedule): boolean {
  let known = nightShifts.get(week)
  if (known === undefined) {
    known = Object.values(week).some(isOvernight)
    nightShifts.set(week, known)
  }
  return known
}

/** The working day (YYYY-MM-DD) an instant belongs to for a person with this week. */
export function workingDayOf(instant: number, week: WeekSchedule, zone: string): string {
  const date = zonedParts(instant, zone).date
  if (!hasNightShift(week)) return date
  const before = addDays(date, -1)
  const previous = week[weekdayOf(before)]
  if (isOvernight(previous) && instant < overnightCutoff(before, previous!, zone)) return before
  return date
}

/** The instants a working day covers, [start, end): from its boundary with the day before. */
export function workingDayBounds(
  date: string,
  week: WeekSchedule,
  zone: string,
): { from: number; to: number } {
  const previous = week[weekdayOf(addDays(date, -1))]
  const own = week[weekdayOf(date)]
  const from = isOvernight(previous)
    ? overnightCutoff(addDays(date, -1), previous!, zone)
    : instantOf(date, '00:00', zone)
  const to = isOvernight(own)
    ? overnightCutoff(date, own!, zone)
    : instantOf(addDays(date, 1), '00:00', zone)
  return { from, to }
}

/**
 * The week a roster row describes: `week` (per weekday) when given, else the same start and end
 * on `days` (every day when null).
 */
export function weekFrom(schedule: {
  start: string | null
  end: string | null
  days: number[] | null
  week?: WeekSchedule | null
}): WeekSchedule {
  if (schedule.week) return schedule.week
  if (!schedule.start && !schedule.end) return {}
  const week: WeekSchedule = {}
  for (const day of schedule.days ?? [1, 2, 3, 4, 5, 6, 7]) {
    week[day] = { start: schedule.start, end: schedule.end }
  }
  return week
}

/**
 * Parses a weekly schedule as written in a roster: `1-5 09:00-18:00; 6 10:00-14:00` (weekdays,
 * then hours; later parts win). Undefined when malformed.
 */
export function parseWeekSchedule(text: string): WeekSchedule | undefined {
  const week: WeekSchedule = {}
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
  if (parts.length === 0) return undefined
  for (const part of parts) {
    const m = /^([1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?)*)\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(part)
    if (!m) return undefined
    const [, days, start, end] = m as unknown as [string, string, string, string]
    if (parseClockTime(start) === undefined || parseClockTime(end) === undefined) return undefined
    if (start === end) return undefined
    for (const range of days.split(',')) {
      const [a, b = a] = range.split('-').map(Number) as [number, number?]
      if (a > b) return undefined
      for (let d = a; d <= b; d++) week[d] = { start, end }
    }
  }
  return week
}

/** The week as JSON for employees.schedule_week, or null for none. */
export function weekToJson(week: WeekSchedule | undefined | null): string | null {
  return week && Object.keys(week).length > 0 ? JSON.stringify(week) : null
}

/** Reads employees.schedule_week; a value this build cannot read counts as no schedule. */
export function weekFromJson(json: string | null): WeekSchedule | null {
  if (!json) return null
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>
    const week: WeekSchedule = {}
    for (const [key, value] of Object.entries(parsed)) {
      const day = Number(key)
      const hours = value as { start?: unknown; end?: unknown }
      if (!(day >= 1 && day <= 7) || typeof hours !== 'object' || hours === null) return null
      const time = (t: unknown) =>
        typeof t === 'string' && parseClockTime(t) !== undefined ? t : null
      week[day] = { start: time(hours.start), end: time(hours.end) }
    }
    return week
  } catch {
    return null
  }
}

/** The site calendar a config describes. */
export function siteCalendar(config: {
  timeZone: string
  holidays: readonly string[]
}): SiteCalendar {
  return { timeZone: config.timeZone, holidays: new Set(config.holidays) }
}
