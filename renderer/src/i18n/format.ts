/** Times and dates as people at the site read them: in the site's zone and language, 24-hour. */
import type { Language } from '../../../electron/shared/types'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(language: Language, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${language}|${timeZone}|${JSON.stringify(options)}`
  let cached = formatters.get(key)
  if (!cached) {
    try {
      cached = new Intl.DateTimeFormat(language, { ...options, timeZone })
    } catch {
      // An unknown zone must not blank the screen: fall back to the machine's own zone.
      cached = new Intl.DateTimeFormat(language, options)
    }
    formatters.set(key, cached)
  }
  return cached
}

const clockOptions: Intl.DateTimeFormatOptions = {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
}
const dayOptions: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' }

/** HH:MM at the site for an instant (ms since the epoch or an RFC 3339 string). */
export function formatSiteTime(at: number | string, timeZone: string, language: Language): string {
  return formatter(language, timeZone, clockOptions).format(new Date(at))
}

/** The long date at the site, e.g. "Sunday 8 March 2026" / "2026年3月8日星期日". */
export function formatSiteDate(at: number | string, timeZone: string, language: Language): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }
  return formatter(language, timeZone, options).format(new Date(at))
}

/** HH:MM when `at` is on the same site day as `now`, otherwise a short date with the time. */
export function formatSiteMoment(
  at: number | string,
  now: number,
  timeZone: string,
  language: Language,
): string {
  const day = formatter(language, timeZone, dayOptions)
  if (day.format(new Date(at)) === day.format(new Date(now))) {
    return formatSiteTime(at, timeZone, language)
  }
  const options: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', ...clockOptions }
  return formatter(language, timeZone, options).format(new Date(at))
}

/** The short date at the site, e.g. "Mar 9, 2026" / "2026年3月9日". */
export function formatSiteDay(at: number | string, timeZone: string, language: Language): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' }
  return formatter(language, timeZone, options).format(new Date(at))
}

/** A working day (YYYY-MM-DD) as a short weekday and date, e.g. "Mon, 3/9" / "3/9周一". */
export function formatWorkingDay(date: string, language: Language): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'numeric', day: 'numeric' }
  return formatter(language, 'UTC', options).format(new Date(`${date}T12:00:00Z`))
}
