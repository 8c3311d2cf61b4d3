/**
 * Wall-clock arithmetic in an IANA zone, DST included, on top of Intl (full ICU in Node and
 * Electron). Instants are ms since the epoch; dates are YYYY-MM-DD; times are HH:MM.
 */

export interface ZonedParts {
  /** Local calendar date, YYYY-MM-DD. */
  date: string
  /** Local wall-clock time, HH:MM. */
  time: string
  /** Minutes since local midnight. */
  minuteOfDay: number
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number
  /** Local time minus UTC, in minutes (e.g. +480 for Asia/Shanghai). */
  offsetMinutes: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
    formatters.set(timeZone, f)
  }
  return f
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

/** A zone's offset is looked up once per quarter hour of time: zones change offset only on one. */
const BUCKET_MS = 15 * 60_000
const bucketOffsets = new Map<string, number | null>()

/** The local date, time, weekday and UTC offset of an instant in a zone. */
export function zonedParts(instant: number, timeZone: string): ZonedParts {
  const bucket = Math.floor(instant / BUCKET_MS)
  const key = `${timeZone}|${bucket}`
  let offset = bucketOffsets.get(key)
  if (offset === undefined) {
    // One offset from the bucket's first to its last millisecond means none changes inside it.
    const first = intlParts(bucket * BUCKET_MS, timeZone).offsetMinutes
    const last = intlParts(bucket * BUCKET_MS + BUCKET_MS - 1, timeZone).offsetMinutes
    offset = first === last ? first : null
    if (bucketOffsets.size > 200_000) bucketOffsets.clear()
    bucketOffsets.set(key, offset)
  }
  if (offset === null) return intlParts(instant, timeZone)
  const local = new Date(Math.floor(instant / 1000) * 1000 + offset * 60_000)
  const h = local.getUTCHours()
  const mi = local.getUTCMinutes()
  return {
    date: `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: `${pad(h)}:${pad(mi)}`,
    minuteOfDay: h * 60 + mi,
    weekday: ((local.getUTCDay() + 6) % 7) + 1,
    offsetMinutes: offset,
  }
}

/** zonedParts straight from Intl (full ICU in Node and Electron). */
function intlParts(instant: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value
  const [y, mo, d, h, mi, s] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) =>
    Number(parts[k]),
  ) as [number, number, number, number, number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s)
  const offsetMinutes = Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000)
  return {
    date: `${pad(y, 4)}-${pad(mo)}-${pad(d)}`,
    time: `${pad(h)}:${pad(mi)}`,
    minuteOfDay: h * 60 + mi,
    weekday: weekdays[parts.weekday ?? ''] ?? 1,
    offsetMinutes,
  }
}

/**
 * The instant a local date and time happen in a zone. A time skipped by a DST jump resolves to
 * the same distance after the jump; a repeated time resolves to its first occurrence.
 */
export function zonedToInstant(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  // Try the offsets in force a day either side; the earliest candidate that maps back wins.
  const offsets = new Set(
    [wall - 86_400_000, wall, wall + 86_400_000].map((t) => zonedParts(t, timeZone).offsetMinutes),
  )
  const candidates = [...offsets]
    .map((offset) => wall - offset * 60_000)
    .filter((t) => {
      const p = zonedParts(t, timeZone)
      return p.date === date && p.time === time
    })
    .sort((a, b) => a - b)
  if (candidates.length > 0) return candidates[0]!
  // In a DST gap: use the offset from before the jump, which lands after it.
  return wall - zonedParts(wall - 86_400_000, timeZone).offsetMinutes * 60_000
}

/** RFC 3339 with an explicit offset, e.g. 2026-03-08T08:57:00+08:00 (second precision). */
export function formatRfc3339(instant: number, offsetMinutes: number): string {
  const local = new Date(Math.floor(instant / 1000) * 1000 + offsetMinutes * 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${local.toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Parses YYYY-MM-DD strictly (a real calendar date); returns it or undefined. */
export function parseLocalDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return undefined
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === text ? text : undefined
}

/** Parses HH:MM (00:00–23:59); returns minutes since midnight or undefined. */
export function parseClockTime(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text)
  if (!m) return undefined
  const h = Number(m[1])
  const mi = Number(m[2])
  return h < 24 && mi < 60 ? h * 60 + mi : undefined
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}
