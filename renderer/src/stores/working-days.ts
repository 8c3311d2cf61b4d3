/** Working days (YYYY-MM-DD) and wall-clock times at the site, for the admin's day screens. */

const partFormatters = new Map<string, Intl.DateTimeFormat>()

function parts(ms: number, timeZone: string): Record<string, number> {
  let format = partFormatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partFormatters.set(timeZone, format)
  }
  const values: Record<string, number> = {}
  for (const part of format.formatToParts(new Date(ms))) values[part.type] = Number(part.value)
  return values
}

/** The site's UTC offset at an instant, in minutes east of UTC. */
function offsetMinutes(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone)
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Today's working day at the site for an instant (ms since the epoch). */
export function siteToday(now: number, timeZone: string): string {
  const p = parts(now, timeZone)
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)}`
}

/** `date` moved by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  const moved = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000)
  return moved.toISOString().slice(0, 10)
}

/** The first and last day of the month `date` is in. */
export function monthOf(date: string): { from: string; to: string } {
  const [year, month] = date.split('-').map(Number)
  const last = new Date(Date.UTC(year!, month!, 0)).getUTCDate()
  return { from: `${date.slice(0, 7)}-01`, to: `${date.slice(0, 7)}-${pad(last)}` }
}

/** ISO weekday of a working day, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay() || 7
}

/**
 * The wall-clock time `time` (HH:MM) of `date` at the site as RFC 3339 with the site's offset,
 * e.g. 2026-03-09T18:05:00+08:00. A time in a DST gap keeps the offset before the jump, so it
 * lands as far past the gap as it was into it (java.time does the same).
 */
export function siteInstant(date: string, time: string, timeZone: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`)
  let offset = offsetMinutes(wall, timeZone)
  const corrected = offsetMinutes(wall - offset * 60_000, timeZone)
  if (corrected !== offset) offset = corrected
  const sign = offset < 0 ? '-' : '+'
  const size = Math.abs(offset)
  return `${date}T${time}:00${sign}${pad(Math.floor(size / 60))}:${pad(size % 60)}`
}
