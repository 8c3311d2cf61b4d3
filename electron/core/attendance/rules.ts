/**
 * The attendance rules as pure functions: which way a punch goes, when a scan is a repeat,
 * and when an arrival is late or a departure early. All days are the site's days.
 */
import type { PunchType } from '../../shared/types'
import { shiftOn, weekFrom, workingDayOf, type SiteCalendar, type WeekSchedule } from './shifts'

export interface PreviousPunch {
  type: PunchType
  occurredAt: number
  localDate: string
}

export interface Schedule {
  /** HH:MM local start and end of the working day; either may be missing. */
  start: string | null
  end: string | null
  /** ISO weekdays it applies on; null means every day. */
  days: number[] | null
  /** Hours per weekday; when set it wins over start, end and days. */
  week?: WeekSchedule | null
}

export interface Grace {
  lateMinutes: number
  earlyMinutes: number
}

/**
 * In unless the person's last punch was an in of the same working day, less than `maxShiftMs`
 * ago (an in older than a shift was a forgotten check-out, and this is a new arrival).
 */
export function decideDirection(
  previous: PreviousPunch | undefined,
  workingDay: string,
  now = previous?.occurredAt ?? 0,
  maxShiftMs = Number.POSITIVE_INFINITY,
): PunchType {
  const open =
    previous?.type === 'in' &&
    previous.localDate === workingDay &&
    now - previous.occurredAt < maxShiftMs
  return open ? 'out' : 'in'
}

/** True when a scan comes so soon after the previous punch that it is the same intent. */
export function isRepeatScan(
  previous: PreviousPunch | undefined,
  now: number,
  windowSeconds: number,
): boolean {
  return (
    !!previous && now >= previous.occurredAt && now - previous.occurredAt < windowSeconds * 1000
  )
}

/**
 * Late: an in after schedule start plus grace. Early: an out before schedule end minus grace.
 * Measured in elapsed time from the scheduled instants of the punch's working day, so DST and
 * night shifts are honoured; holidays and days off flag nothing.
 */
export function punchFlags(
  type: PunchType,
  instant: number,
  week: WeekSchedule,
  calendar: SiteCalendar,
  grace: Grace,
): { late: boolean; early: boolean } {
  const shift = shiftOn(workingDayOf(instant, week, calendar.timeZone), week, calendar)
  if (!shift.scheduled) return { late: false, early: false }
  if (type === 'in' && shift.start !== null) {
    return { late: instant > shift.start + grace.lateMinutes * 60_000, early: false }
  }
  if (type === 'out' && shift.end !== null) {
    return { late: false, early: instant < shift.end - grace.earlyMinutes * 60_000 }
  }
  return { late: false, early: false }
}

/** `punchFlags` for a roster schedule in a zone without holidays. */
export function scheduleFlags(
  type: PunchType,
  instant: number,
  timeZone: string,
  schedule: Schedule,
  grace: Grace,
): { late: boolean; early: boolean } {
  return punchFlags(type, instant, weekFrom(schedule), { timeZone, holidays: new Set() }, grace)
}

/** Parses "1-5", "1;2;3" or "1,3,5" into ISO weekdays; undefined when malformed. */
export function parseWeekdays(text: string): number[] | undefined {
  const days = new Set<number>()
  for (const part of text.split(/[;,\s]+/).filter(Boolean)) {
    const range = /^([1-7])-([1-7])$/.exec(part)
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])]
      if (from > to) return undefined
      for (let d = from; d <= to; d++) days.add(d)
    } else if (/^[1-7]$/.test(part)) {
      days.add(Number(part))
    } else {
      return undefined
    }
  }
  return days.size > 0 ? [...days].sort() : undefined
}
