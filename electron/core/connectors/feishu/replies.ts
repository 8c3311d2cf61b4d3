/**
 * Feishu / Lark answers: `code`/`msg` in a JSON body, HTTP 200 on success and mostly 400 on a
 * refusal; throttling is HTTP 429 (400 on older APIs) with code 99991400 and the wait in
 * `x-ogw-ratelimit-reset` (seconds).
 */
import { TokenRefused } from '../access-token'
import {
  CrmError,
  parseRetryAfter,
  readJsonBody,
  safeWords,
  statusError,
  type HttpResponse,
} from '../http'
import { codeOf } from '../platform-reply'

export const NAME = 'Feishu'

const RATE_LIMITED = 99991400
// The tenant token is missing, invalid or expired: renew it once and send again.
const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991665, 99991668, 99991671])
// The app id or secret is wrong, or the app lacks the attendance permission.
const UNAUTHORISED_CODES = new Set([10003, 10014, 99991401, 99991672, 99991679])

/** The reply body when `code` is 0; the call's refusal in Feishu's words; anything else thrown. */
export function feishuReply(
  res: HttpResponse,
  secrets: readonly string[],
): { ok: true; body: Record<string, unknown> } | { ok: false; refusal: string } {
  let body: unknown
  try {
    body = readJsonBody(res, NAME)
  } catch (error) {
    if (res.status === 429) throw rateLimited(res, `${NAME} answered 429`)
    if (res.status < 200 || res.status >= 300) throw statusError(res, NAME, '', undefined, secrets)
    throw error
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CrmError('malformed', `unexpected reply from ${NAME}: not a JSON object`)
  }
  const reply = body as Record<string, unknown>
  if (res.status >= 500)
    throw statusError(res, NAME, String(reply['msg'] ?? ''), undefined, secrets)
  const code = codeOf(reply, 'code', NAME)
  const said = safeWords(reply['msg'], secrets)
  const words = `${NAME} code ${code}${said ? `: ${said}` : ''}`
  if (res.status === 429 || code === RATE_LIMITED) throw rateLimited(res, words)
  if (code === 0 && res.status >= 200 && res.status < 300) return { ok: true, body: reply }
  if (TOKEN_CODES.has(code)) throw new TokenRefused(words)
  if (UNAUTHORISED_CODES.has(code) || res.status === 401 || res.status === 403) {
    throw new CrmError('unauthorised', words, { status: res.status })
  }
  return { ok: false, refusal: words }
}

function rateLimited(res: HttpResponse, words: string): CrmError {
  const wait =
    parseRetryAfter(res.headers['x-ogw-ratelimit-reset'], Date.now()) ??
    parseRetryAfter(res.headers['retry-after'], Date.now())
  return new CrmError('rate-limited', words, {
    status: res.status,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  })
}
