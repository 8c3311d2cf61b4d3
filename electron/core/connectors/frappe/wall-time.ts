/** Naive local wall times, as Frappe and ZKTeco ADMS servers keep them. */
import { zonedParts } from '../../attendance/zoned-time'

/**
 * `YYYY-MM-DD HH:MM:SS` of an instant on the wall clock of `timeZone` (fractions dropped). In
 * the hour a DST change repeats, two instants give the same text: the zone's offsets are whole
 * minutes, so the seconds are the instant's own.
 */
export function wallTime(instant: number, timeZone: string): string {
  const { date, time } = zonedParts(instant, timeZone)
  const seconds = ((Math.floor(instant / 1000) % 60) + 60) % 60
  return `${date} ${time}:${String(seconds).padStart(2, '0')}`
}
