/** HTTP client for the central CRM contract (crm-api.yaml): typed calls, classified failures. */
import axios, { type AxiosResponse } from 'axios'
import {
  readHealth,
  readPunchResults,
  readReceiptsPage,
  readRosterPage,
  type CrmFaceTemplatesBody,
  type CrmHealth,
  type CrmPunch,
  type CrmPunchResult,
  type CrmReceiptsPage,
  type CrmRosterPage,
  type HeartbeatBody,
} from './crm-types'
import { CRM_URL_RULE, safeCrmUrl } from './crm-url'

export type * from './crm-types'

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

/** Most punches the contract accepts in one batch. */
export const MAX_PUNCHES_PER_BATCH = 500
// A hostile or broken server must not park the outbox for days with one header.
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** A failed CRM call. Never carries the device token, request headers or the raw reply. */
export class CrmError extends Error {
  /** HTTP status when the CRM (or something in between) answered. */
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

export interface CrmClientOptions {
  /** e.g. https://crm.example.com (a path prefix is kept). */
  baseUrl: string
  deviceToken: string
  deviceId: string
  /** Whole-request deadline, connect to last byte. */
  timeoutMs?: number
  /** Called with every response's Date header: the server's clock and when we sent and heard. */
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
}

export interface CrmClient {
  /** Server liveness and time; also proves the token is accepted. */
  health(): Promise<CrmHealth>
  /** Uploads 0 to 500 punches; one result per punch, in the order sent. */
  uploadPunches(punches: readonly CrmPunch[], idempotencyKey?: string): Promise<CrmPunchResult[]>
  /** One page of employees: all of them without a cursor, else those changed since it. */
  roster(query?: { cursor?: string; siteId?: string }): Promise<CrmRosterPage>
  /** Replaces an employee's templates centrally; 404 (unknown employee) is rejected-request. */
  putFaceTemplates(employeeId: string, body: CrmFaceTemplatesBody): Promise<void>
  /** Erases an employee's templates centrally. */
  deleteFaceTemplates(employeeId: string): Promise<void>
  /** Reports the kiosk's health for IT dashboards. */
  heartbeat(body: HeartbeatBody): Promise<void>
  /**
   * One page (at most 1000) of the punch ids the CRM holds from this device whose occurredAt
   * lies in [from, to), both RFC 3339; pass the page's cursor back for the next one.
   */
  receipts(from: string, to: string, cursor?: string): Promise<CrmReceiptsPage>
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  params?: Record<string, string>
  body?: unknown
  headers?: Record<string, string>
}

/** A client bound to one CRM and one device identity. */
export function createCrmClient(opts: CrmClientOptions): CrmClient {
  // The same rule as the config's, for every caller: the URL itself is not repeated, it may
  // hold credentials.
  const base = safeCrmUrl(opts.baseUrl)
  if (!base) throw new TypeError(`the CRM URL must be ${CRM_URL_RULE}`)
  const timeoutMs = opts.timeoutMs ?? 15_000
  const http = axios.create({
    baseURL: base.href,
    timeout: timeoutMs,
    // A redirect could carry the bearer token to another host or to plain http; the contract
    // has none. Nor may a path ever name another origin.
    maxRedirects: 0,
    allowAbsoluteUrls: false,
    maxContentLength: MAX_RESPONSE_BYTES,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { Authorization: `Bearer ${opts.deviceToken}`, Accept: 'application/json' },
  })

  async function send(call: Call): Promise<AxiosResponse<string>> {
    const requestSentMs = Date.now()
    let res: AxiosResponse<string>
    try {
      res = await http.request<string>({
        method: call.method,
        url: call.path,
        params: call.params,
        data: call.body,
        headers: call.headers,
        // axios's own timeout is per socket inactivity; this bounds the whole exchange.
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      throw networkError(error, timeoutMs)
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

  async function json<T>(call: Call, read: (body: unknown) => T): Promise<T> {
    const res = await send(call)
    if (res.status !== 200) throw statusError(res, opts.deviceToken)
    return readJson(res, read)
  }

  async function empty(call: Call): Promise<void> {
    const res = await send(call)
    // A captive portal answers 200 with a page: only the contract's 204 proves the CRM took it.
    if (res.status !== 204) throw statusError(res, opts.deviceToken)
  }

  const id = (value: string) => encodeURIComponent(value)
  return {
    health: () => json({ method: 'GET', path: '/v1/health' }, readHealth),
    async uploadPunches(punches, idempotencyKey) {
      if (punches.length === 0) return []
      if (punches.length > MAX_PUNCHES_PER_BATCH) {
        throw new CrmError('too-large', `at most ${MAX_PUNCHES_PER_BATCH} punches per batch`)
      }
      const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined
      const body = { deviceId: opts.deviceId, punches }
      const call: Call = { method: 'POST', path: '/v1/punches', body, headers }
      return json(call, (reply) => readPunchResults(reply, punches))
    },
    roster: (query = {}) =>
      json({ method: 'GET', path: '/v1/roster', params: definedOnly(query) }, readRosterPage),
    putFaceTemplates: (employeeId, body) =>
      empty({ method: 'PUT', path: `/v1/employees/${id(employeeId)}/face-templates`, body }),
    deleteFaceTemplates: (employeeId) =>
      empty({ method: 'DELETE', path: `/v1/employees/${id(employeeId)}/face-templates` }),
    heartbeat: (body) =>
      empty({ method: 'POST', path: `/v1/devices/${id(opts.deviceId)}/heartbeat`, body }),
    async receipts(from, to, cursor) {
      for (const [name, value] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (!RFC_3339.test(value) || Number.isNaN(Date.parse(value)))
          throw new TypeError(`receipts: ${name} must be an RFC 3339 date-time with an offset`)
      }
      const params = definedOnly({ from, to, cursor })
      const path = `/v1/devices/${id(opts.deviceId)}/receipts`
      return json({ method: 'GET', path, params }, readReceiptsPage)
    },
  }
}

function readJson<T>(res: AxiosResponse<string>, read: (body: unknown) => T): T {
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new CrmError('malformed', `expected JSON from the CRM, got ${type || 'no type'}`, {
      status: res.status,
    })
  }
  try {
    return read(JSON.parse(res.data))
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'invalid JSON' : (error as Error).message
    throw new CrmError('malformed', `unexpected reply from the CRM: ${reason}`, {
      status: res.status,
    })
  }
}

function definedOnly(query: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >
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

function statusError(res: AxiosResponse<string>, token: string): CrmError {
  const status = res.status
  const kind: CrmErrorKind =
    STATUS_KINDS[status] ??
    (status >= 500 && status < 600
      ? 'server'
      : status >= 400 && status < 500
        ? 'rejected-request'
        : 'malformed')
  const serverDateMs = Date.parse(String(res.headers['date'] ?? ''))
  const now = Number.isFinite(serverDateMs) ? serverDateMs : Date.now()
  const retryAfterMs =
    kind === 'rate-limited' || kind === 'unavailable'
      ? parseRetryAfter(res.headers['retry-after'], now)
      : undefined
  const said = kind === 'malformed' ? '' : serverSays(res.data, token)
  return new CrmError(kind, `CRM answered ${status}${said ? `: ${said}` : ''}`, {
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

// The server's own words help an operator, but they are untrusted: short, printable, and never
// an echo of our token.
function serverSays(data: unknown, token: string): string {
  let said = ''
  try {
    const body = JSON.parse(String(data)) as { error?: unknown; message?: unknown }
    said = [body.error, body.message].filter((part) => typeof part === 'string').join(' - ')
  } catch {
    return ''
  }
  if (token) said = said.split(token).join('[token]')
  return said.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200)
}

function networkError(error: unknown, timeoutMs: number): CrmError {
  const code = (error as { code?: unknown }).code
  if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String((error as Error).message))) {
    return new CrmError('malformed', `the CRM's reply exceeded ${MAX_RESPONSE_BYTES} bytes`)
  }
  if (code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new CrmError('network', `no answer from the CRM within ${timeoutMs} ms`)
  }
  const reason = typeof code === 'string' ? code : 'connection failed'
  return new CrmError('network', `could not reach the CRM (${reason})`)
}
