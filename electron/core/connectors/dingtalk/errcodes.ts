/**
 * DingTalk's old-style (oapi) answers: HTTP 200 with `errcode`/`errmsg`, and authentication
 * failures wrapped as errcode 88 with the real cause in `sub_code`/`sub_msg` (a string).
 */
import { TokenRefused } from '../access-token'
import { CrmError, safeWords } from '../http'
import { codeOf } from '../platform-reply'

export const NAME = 'DingTalk'

// The token is stale or wrong: renew it once and send again.
const TOKEN_CODES = new Set([40001, 40014, 41001, 42001])
// The app may not do this (key/secret, permission, IP whitelist): IT must fix the app.
const UNAUTHORISED_CODES = new Set([40089, 40096, 43007, 60011, 60020, 88])
// Throttling (global error codes 90001-90014, 90018 per app and API, 90020 monthly quota).
const PER_SECOND_LIMITS = new Set([90002, 90018])
const MONTHLY_QUOTA = 90020

/** What an errcode means for the punch or call it answered. */
export type DingtalkVerdict = { ok: true } | { ok: false; refusal: string }

/** Success, or the punch's own refusal (a dead letter); anything else is thrown. */
export function verdict(
  body: Record<string, unknown>,
  secrets: readonly string[],
): DingtalkVerdict {
  const errcode = codeOf(body, 'errcode', NAME)
  if (errcode === 0) return { ok: true }
  const sub = typeof body['sub_code'] === 'string' ? Number(body['sub_code']) : undefined
  const code = errcode === 88 && sub !== undefined && Number.isInteger(sub) ? sub : errcode
  const said = safeWords(
    errcode === 88 && typeof body['sub_msg'] === 'string' ? body['sub_msg'] : body['errmsg'],
    secrets,
  )
  const words = `${NAME} errcode ${code}${said ? `: ${said}` : ''}`
  if (TOKEN_CODES.has(code)) throw new TokenRefused(words)
  if (UNAUTHORISED_CODES.has(code) || errcode === 88) throw new CrmError('unauthorised', words)
  if (code === -1) throw new CrmError('unavailable', words, { retryAfterMs: 1000 })
  if (code === MONTHLY_QUOTA) throw new CrmError('rate-limited', words, { retryAfterMs: 3_600_000 })
  if (code >= 90001 && code <= 90018) {
    throw new CrmError('rate-limited', words, {
      retryAfterMs: PER_SECOND_LIMITS.has(code) ? 1000 : 60_000,
    })
  }
  return { ok: false, refusal: words }
}
