/** Odoo's datetimes: naive UTC `YYYY-MM-DD HH:MM:SS`, whole seconds. */

/** An instant (ms) as Odoo stores it; milliseconds are dropped, as Odoo drops them. */
export function odooTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

/** An RFC 3339 time with an offset (a punch's occurredAt) as Odoo stores it. */
export function odooTimeOf(occurredAt: string): string {
  const ms = Date.parse(occurredAt)
  if (Number.isNaN(ms)) throw new TypeError(`"${occurredAt}" is not an RFC 3339 time`)
  return odooTime(ms)
}

/** An Odoo datetime as ms since the epoch. */
export function fromOdooTime(value: string): number {
  return Date.parse(`${value.replace(' ', 'T')}Z`)
}
