/** Reading the replies of the open platforms (DingTalk, WeCom, Feishu): one JSON object each. */
import { CrmError, readJsonBody, statusError, type HttpResponse } from './http'

/** The reply's JSON object; a non-2xx status without one, HTML or garbage is a clear CrmError. */
export function replyObject(
  res: HttpResponse,
  name: string,
  secrets: readonly string[],
): Record<string, unknown> {
  let body: unknown
  try {
    body = readJsonBody(res, name)
  } catch (error) {
    if (res.status < 200 || res.status >= 300) throw statusError(res, name, '', undefined, secrets)
    throw error
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CrmError('malformed', `unexpected reply from ${name}: not a JSON object`, {
      status: res.status,
    })
  }
  return body as Record<string, unknown>
}

/** A numeric code field (`errcode`, `code`), also when the system sends it as a string. */
export function codeOf(body: Record<string, unknown>, field: string, name: string): number {
  const value = body[field]
  const code = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new CrmError('malformed', `unexpected reply from ${name}: no "${field}"`)
  }
  return code
}

/** An epoch instant in seconds or milliseconds, as a number or a digit string; else undefined. */
export function instantOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** The punch's instant in ms since the epoch; a punch whose time cannot be read is refused. */
export function punchInstant(occurredAt: string): number | undefined {
  const ms = Date.parse(occurredAt)
  return Number.isFinite(ms) ? ms : undefined
}
