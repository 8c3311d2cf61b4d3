/** WeCom's answers: HTTP 200 with `errcode`/`errmsg` for nearly every error. */
import { TokenRefused } from '../access-token'
import { CrmError, safeWords } from '../http'
import { codeOf } from '../platform-reply'

export const NAME = 'WeCom'

// The token is stale or wrong: renew it once and send again.
const TOKEN_CODES = new Set([40014, 41001, 42001])
// The corp id, secret or the app's rights are wrong: IT must fix the app.
const UNAUTHORISED_CODES = new Set([40001, 40013, 41002, 41004, 48002, 60011, 60020, 301002])
// 45009 "api freq out of limit", 45011 per minute, 45033 too many concurrent calls.
const RATE_CODES: Record<number, number> = { 45009: 60_000, 45011: 60_000, 45033: 1000 }

/** Success, or the call's refusal in WeCom's words; anything to wait or fix is thrown. */
export function verdict(
  body: Record<string, unknown>,
  secrets: readonly string[],
): { ok: true } | { ok: false; refusal: string } {
  const errcode = codeOf(body, 'errcode', NAME)
  if (errcode === 0) return { ok: true }
  const said = safeWords(body['errmsg'], secrets)
  const words = `${NAME} errcode ${errcode}${said ? `: ${said}` : ''}`
  if (TOKEN_CODES.has(errcode)) throw new TokenRefused(words)
  if (UNAUTHORISED_CODES.has(errcode)) throw new CrmError('unauthorised', words)
  if (errcode === -1) throw new CrmError('unavailable', words, { retryAfterMs: 1000 })
  const wait = RATE_CODES[errcode]
  if (wait !== undefined) throw new CrmError('rate-limited', words, { retryAfterMs: wait })
  return { ok: false, refusal: words }
}
