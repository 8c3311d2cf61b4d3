/** A period of site days as instants, for reconciliation: [first day 00:00, day after last 00:00). */
import { formatRfc3339, parseLocalDate, zonedParts, zonedToInstant } from '../attendance/zoned-time'
import { ClockfaceError, ErrorCode } from '../../shared/errors'

export interface SitePeriod {
  from: number
  to: number
  /** The bounds in RFC 3339 with the site's offset at each, as the CRM is asked. */
  fromText: string
  toText: string
}

/** Site days `first` to `last` (YYYY-MM-DD, both included) in `timeZone`, DST included. */
export function sitePeriod(first: string, last: string, timeZone: string): SitePeriod {
  for (const [name, value] of [
    ['from', first],
    ['to', last],
  ] as const) {
    if (!parseLocalDate(value)) {
      throw new ClockfaceError(ErrorCode.InvalidPayload, `${name} must be a real date, YYYY-MM-DD`)
    }
  }
  if (first > last) throw new ClockfaceError(ErrorCode.InvalidPayload, 'from must not be after to')
  const from = zonedToInstant(first, '00:00', timeZone)
  const to = zonedToInstant(dayAfter(last), '00:00', timeZone)
  const text = (t: number) => formatRfc3339(t, zonedParts(t, timeZone).offsetMinutes)
  return { from, to, fromText: text(from), toText: text(to) }
}

function dayAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}
