/** HTTP client for the central CRM contract (crm-api.yaml): typed calls, classified failures. */
import {
  CrmError,
  createHttp,
  readJsonBody,
  statusError,
  type HttpCall,
  type HttpResponse,
} from '../connectors/http'
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

export { CrmError, parseRetryAfter, type CrmErrorKind } from '../connectors/http'

/** Most punches the contract accepts in one batch. */
export const MAX_PUNCHES_PER_BATCH = 500
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const NAME = 'the CRM'

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

/** A client bound to one CRM and one device identity. */
export function createCrmClient(opts: CrmClientOptions): CrmClient {
  // The same rule as the config's, for every caller: the URL itself is not repeated, it may
  // hold credentials.
  const base = safeCrmUrl(opts.baseUrl)
  if (!base) throw new TypeError(`the CRM URL must be ${CRM_URL_RULE}`)
  const send = createHttp({
    baseUrl: base,
    timeoutMs: opts.timeoutMs ?? 15_000,
    headers: { Authorization: `Bearer ${opts.deviceToken}` },
    onServerDate: opts.onServerDate,
    name: NAME,
  })

  async function json<T>(call: HttpCall, read: (body: unknown) => T): Promise<T> {
    const res = await send(call)
    if (res.status !== 200) throw failure(res, opts.deviceToken)
    return readJson(res, read)
  }

  async function empty(call: HttpCall): Promise<void> {
    const res = await send(call)
    // A captive portal answers 200 with a page: only the contract's 204 proves the CRM took it.
    if (res.status !== 204) throw failure(res, opts.deviceToken)
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
      const call: HttpCall = { method: 'POST', path: '/v1/punches', body, headers }
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

function readJson<T>(res: HttpResponse, read: (body: unknown) => T): T {
  const body = readJsonBody(res, NAME)
  try {
    return read(body)
  } catch (error) {
    throw new CrmError('malformed', `unexpected reply from the CRM: ${(error as Error).message}`, {
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

/** A refusal, with the contract's `error` and `message` as the CRM's own words. */
function failure(res: HttpResponse, token: string): CrmError {
  let said = ''
  try {
    const body = JSON.parse(String(res.data)) as { error?: unknown; message?: unknown }
    said = [body.error, body.message].filter((part) => typeof part === 'string').join(' - ')
  } catch {
    // Not JSON: the status says it all.
  }
  return statusError(res, NAME, said, undefined, [token])
}
