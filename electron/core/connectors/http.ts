/**
 * What every connector's HTTP calls share: one axios instance per system with a whole-request
 * deadline, no redirects, a size cap, untouched text bodies, and failures classified into
 * `CrmError` kinds that say what helps next (wait, slow down, fix the config, split, give up).
 */
import axios, { type AxiosResponse } from 'axios'

/** What went wrong, in terms of what the caller should do next. */
export type CrmErrorKind =
  | 'unauthorised'
  | 'rate-limited'
  | 'unavailable'
  | 'server'
  | 'rejected-request'
  | 'too-large'
  | 'network'
  | 'malformed'

// A hostile or broken server must not park the outbox for days with one header.
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000
/** Largest reply read from any HR system. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/** A failed call to the HR system. Never carries credentials, request headers or the raw reply. */
export class CrmError extends Error {
  /** HTTP status when the system (or something in between) answered. */
  readonly status: number | undefined
  /** How long the server asked us to wait, ms (from Retry-After, capped at one hour). */
  readonly retryAfterMs: number | undefined

  constructor(
    readonly kind: CrmErrorKind,
    message: string,
    details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message)
    this.name = 'CrmError'
    this.status = details.status
    this.retryAfterMs = details.retryAfterMs
  }

  /** True when sending the same request again later may succeed. */
  get retryable(): boolean {
    return !['unauthorised', 'rejected-request', 'too-large'].includes(this.kind)
  }
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  params?: Record<string, string>
  body?: unknown
  headers?: Record<string, string>
}

export interface HttpOptions {
  /** The system's base URL (already checked: https, or http to this machine). */
  baseUrl: URL
  /** Whole-request deadline, connect to last byte. */
  timeoutMs: number
  /** Sent with every request (e.g. Authorization). */
  headers?: Record<string, string>
  /** Called with every response's Date header: the server's clock and when we sent and heard. */
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
  /** Who answers, for messages ("the CRM", "Odoo"). */
  name: string
}

export type HttpResponse = AxiosResponse<string>

/** A sender bound to one system: every reply comes back as text, whatever its status. */
export function createHttp(opts: HttpOptions): (call: HttpCall) => Promise<HttpResponse> {
  const http = axios.create({
    baseURL: opts.baseUrl.href,
    timeout: opts.timeoutMs,
    // A redirect could carry credentials to another host or to plain http. Nor may a path ever
    // name another origin.
    maxRedirects: 0,
    allowAbsoluteUrls: false,
    maxContentLength: MAX_RESPONSE_BYTES,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { Accept: 'application/json', ...opts.headers },
  })
  return async (call) => {
    const requestSentMs = Date.now()
    let res: HttpResponse
    try {
      res = await http.request<string>({
        method: call.method,
        url: call.path,
        params: call.params,
        data: call.body,
        headers: call.headers,
        // axios's own timeout is per socket inactivity; this bounds the whole exchange.
        signal: AbortSignal.timeout(opts.timeoutMs),
      })
    } catch (error) {
      throw networkError(error, opts.timeoutMs, opts.name)
    }
    const serverDateMs = Date.parse(String(res.headers['date'] ?? ''))
    if (Number.isFinite(serverDateMs) && opts.onServerDate) {
      try {
        opts.onServerDate(serverDateMs, requestSentMs, Date.now())
      } catch {
        // Measuring the clock is a side channel: it must never fail the call that carried it.
      }
    }
    return res
  }
}

/** The reply's media type, lower case, without parameters. */
export function mediaType(res: HttpResponse): string {
  return String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
}

/** The reply's JSON body; a reply that is not JSON (a captive portal's page) is `malformed`. */
export function readJsonBody(res: HttpResponse, name: string): unknown {
  const type = mediaType(res)
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new CrmError('malformed', `expected JSON from ${name}, got ${type || 'no type'}`, {
      status: res.status,
    })
  }
  try {
    return JSON.parse(res.data) as unknown
  } catch {
    throw new CrmError('malformed', `unexpected reply from ${name}: invalid JSON`, {
      status: res.status,
    })
  }
}

// Classification: kinds say what helps next (wait, slow down, fix config, split, give up).
const STATUS_KINDS: Record<number, CrmErrorKind> = {
  400: 'rejected-request',
  401: 'unauthorised',
  403: 'unauthorised',
  404: 'rejected-request',
  408: 'unavailable',
  413: 'too-large',
  429: 'rate-limited',
  503: 'unavailable',
}

/** The kind an HTTP status means when the system's own body says nothing more precise. */
export function statusKind(status: number): CrmErrorKind {
  return (
    STATUS_KINDS[status] ??
    (status >= 500 && status < 600
      ? 'server'
      : status >= 400 && status < 500
        ? 'rejected-request'
        : 'malformed')
  )
}

/**
 * A failed reply as a CrmError: `said` is the system's own words (made safe here), `kind`
 * overrides the status's meaning when the body says more.
 */
export function statusError(
  res: HttpResponse,
  name: string,
  said = '',
  kind: CrmErrorKind = statusKind(res.status),
  secrets: readonly string[] = [],
): CrmError {
  const status = res.status
  const serverDateMs = Date.parse(String(res.headers['date'] ?? ''))
  const now = Number.isFinite(serverDateMs) ? serverDateMs : Date.now()
  const retryAfterMs =
    kind === 'rate-limited' || kind === 'unavailable'
      ? parseRetryAfter(res.headers['retry-after'], now)
      : undefined
  const words = kind === 'malformed' ? '' : safeWords(said, secrets)
  return new CrmError(kind, `${name} answered ${status}${words ? `: ${words}` : ''}`, {
    status,
    retryAfterMs,
  })
}

/** Retry-After as delta-seconds or an HTTP date (relative to `nowMs`), in ms; capped. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const text = value.trim()
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs
  if (Number.isNaN(ms)) return undefined
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
}

/**
 * A server's words, fit for an operator's screen and a dead letter: untrusted, so short and
 * printable (any script), and never an echo of a secret we sent.
 */
export function safeWords(said: unknown, secrets: readonly string[] = [], max = 200): string {
  if (typeof said !== 'string') return ''
  let text = said
  for (const secret of secrets) if (secret) text = text.split(secret).join('[token]')
  return text
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
}

/** A request that got no HTTP answer, as a CrmError `network` (or `malformed` when too big). */
export function networkError(error: unknown, timeoutMs: number, name: string): CrmError {
  const code = (error as { code?: unknown }).code
  if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String((error as Error).message))) {
    return new CrmError('malformed', `the reply from ${name} exceeded ${MAX_RESPONSE_BYTES} bytes`)
  }
  if (code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new CrmError('network', `no answer from ${name} within ${timeoutMs} ms`)
  }
  const reason = typeof code === 'string' ? code : 'connection failed'
  return new CrmError('network', `could not reach ${name} (${reason})`)
}
