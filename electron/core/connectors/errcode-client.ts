/**
 * Calls to a platform that issues an access token by GET with the app's credentials, takes it
 * as the `access_token` query parameter, and answers errcode bodies (DingTalk, WeCom). The
 * platform's `verdict` reads each body; a refused token is renewed once (AccessToken.use).
 */
import { AccessToken } from './access-token'
import { CrmError, createHttp, statusError, type HttpOptions, type HttpResponse } from './http'
import { instantOf, replyObject } from './platform-reply'

export type ErrcodeVerdict = { ok: true } | { ok: false; refusal: string }

export interface ErrcodeClientOptions {
  baseUrl: string
  timeoutMs: number
  /** Who answers, for messages. */
  name: string
  onServerDate?: HttpOptions['onServerDate']
  /** The app secret: scrubbed from every message, like the token. */
  secret: string
  /** Where a token is issued, and the credentials it takes as query parameters. */
  tokenPath: string
  tokenParams: Record<string, string>
  /** Success, or the call's own refusal; anything else it throws (a TokenRefused included). */
  verdict(body: Record<string, unknown>, secrets: readonly string[]): ErrcodeVerdict
  now?: () => number
}

export interface ErrcodeClient {
  tokens: AccessToken
  /** POSTs `body` to `path` with the token; the reply and what it means. */
  call(
    path: string,
    body: unknown,
  ): Promise<{ reply: Record<string, unknown>; answer: ErrcodeVerdict }>
}

/** A client for one app of an errcode platform. */
export function errcodeClient(o: ErrcodeClientOptions): ErrcodeClient {
  const send = createHttp({
    baseUrl: new URL(o.baseUrl),
    timeoutMs: o.timeoutMs,
    name: o.name,
    ...(o.onServerDate ? { onServerDate: o.onServerDate } : {}),
  })
  const secrets = (): string[] => [o.secret, tokens.held() ?? ''].filter(Boolean)
  const read = (res: HttpResponse): Record<string, unknown> => {
    if (res.status < 200 || res.status >= 300) {
      throw statusError(res, o.name, '', undefined, secrets())
    }
    return replyObject(res, o.name, secrets())
  }
  const tokens: AccessToken = new AccessToken(async () => {
    const body = read(await send({ method: 'GET', path: o.tokenPath, params: o.tokenParams }))
    const answer = o.verdict(body, secrets())
    if (!answer.ok) throw new CrmError('unauthorised', answer.refusal)
    const token = body['access_token']
    const expires = instantOf(body['expires_in'])
    if (typeof token !== 'string' || token === '' || expires === undefined) {
      throw new CrmError('malformed', `unexpected reply from ${o.name}: no access_token`)
    }
    return { token, expiresInSeconds: expires }
  }, o.now)
  return {
    tokens,
    call: (path, body) =>
      tokens.use(async (token) => {
        const reply = read(
          await send({ method: 'POST', path, params: { access_token: token }, body }),
        )
        return { reply, answer: o.verdict(reply, secrets()) }
      }),
  }
}
