/**
 * The attendance rules as pure functions: which way a punch goes, when a scan is a repeat,
 * and when an arrival is late or a departure early. All days are the site's days.
 */
import type { PunchType } from '../../shared/types'
import { zonedParts, zonedToInstant } from './zoned-time'

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
}

export interface Grace {
  lateMinutes: number
  earlyMinutes: number
}

/** In unless the person's last punch of the same working day was an in. */
export function decideDirection(previous: PreviousPunch | undefined, localDate: string): PunchType {
  return previous && previous.localDate === localDate && previous.type === 'in' ? 'out' : 'in'
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
 * Measured in elapsed time from the scheduled instant on that local date, so DST is honoured.
 */
export function scheduleFlags(
  type: PunchType,
  instant: number,
  timeZone: string,
  schedule: Schedule,
  grace: Grace,
): { late: boolean; early: boolean } {
  const local = zonedParts(instant, timeZone)
  if (schedule.days && !schedule.days.includes(local.weekday)) return { late: false, early: false }
  if (type === 'in' && schedule.start) {
    const start = zonedToInstant(local.date, schedule.start, timeZone)
    return { late: instant > start + grace.lateMinutes * 60_000, early: false }
  }
  if (type === 'out' && schedule.end) {
    const end = zonedToInstant(local.date, schedule.end, timeZone)
    return { late: false, early: instant < end - grace.earlyMinutes * 60_000 }
  }
  return { late: false, early: false }
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
