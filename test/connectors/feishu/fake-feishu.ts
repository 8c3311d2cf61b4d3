/**
 * A fake Feishu open platform built from its published docs: the internal tenant token,
 * user_flows/batch_create (50 records, `idempotent_id` honoured) and user_flows/query, with
 * Feishu's code/msg bodies, HTTP 400 on a refusal, and 429 + x-ogw-ratelimit-reset when throttled.
 */
import {
  issueToken,
  PlatformFake,
  type FakeAnswer,
  type FakeRequest,
} from '../dingtalk/platform-fake'

export interface FeishuFlow {
  record_id: string
  user_id: string
  creator_id: string
  location_name: string
  check_time: string
  comment: string
  external_id?: string
  idempotent_id?: string
}

const EARLIEST = Date.parse('2022-01-01T00:00:00+08:00') / 1000
const refusal = (code: number, msg: string, status = 400): FakeAnswer => ({
  status,
  body: { code, msg, error: { log_id: issueToken().slice(0, 20) } },
})

export class FakeFeishu extends PlatformFake {
  readonly appId = 'cli_a5f0c3e2b1d4e00d'
  readonly appSecret = 'fs-secret-Hq7Ln2Pw'
  readonly flows: FeishuFlow[] = []
  /** Staff by the id type the kiosk uses (employee_id or employee_no). */
  readonly users: Set<string>
  private token: string | undefined
  private readonly expired = new Set<string>()
  private nextRecord = 7_000_000_000_000_000_000n

  constructor(
    staff: readonly string[],
    readonly employeeType: 'employee_id' | 'employee_no' = 'employee_id',
  ) {
    super()
    this.users = new Set(staff)
    Object.assign(this.routes, {
      'POST /open-apis/auth/v3/tenant_access_token/internal': (req: FakeRequest) =>
        this.tenantToken(req),
      'POST /open-apis/attendance/v1/user_flows/batch_create': (req: FakeRequest) =>
        this.batchCreate(req),
      'POST /open-apis/attendance/v1/user_flows/query': (req: FakeRequest) => this.query(req),
    })
  }

  /** The current token stops working, as after its 7200 s. */
  expireTokens(): void {
    if (this.token) this.expired.add(this.token)
    this.token = undefined
  }

  private tenantToken(req: FakeRequest): FakeAnswer {
    const b = (req.body ?? {}) as Record<string, unknown>
    if (b['app_id'] !== this.appId || b['app_secret'] !== this.appSecret) {
      return refusal(10014, 'app secret invalid')
    }
    this.token ??= `t-${issueToken()}`
    return { body: { code: 0, msg: 'ok', tenant_access_token: this.token, expire: 7200 } }
  }

  private tokenError(req: FakeRequest): FakeAnswer | undefined {
    const auth = String(req.headers['authorization'] ?? '')
    if (!auth.startsWith('Bearer ')) {
      return refusal(
        99991661,
        'Missing access token for authorization. Please make a request with token attached.',
      )
    }
    if (auth.slice(7) !== this.token) {
      return refusal(
        99991663,
        'Invalid access token for authorization. Please make a request with token attached.',
      )
    }
    return undefined
  }

  private batchCreate(req: FakeRequest): FakeAnswer {
    const refused = this.tokenError(req)
    if (refused) return refused
    if (req.query.get('employee_type') !== this.employeeType) {
      return refusal(1220001, 'param is invalid: employee_type')
    }
    const records = (req.body as { flow_records?: unknown } | undefined)?.flow_records
    if (!Array.isArray(records) || records.length === 0 || records.length > 50) {
      return refusal(1220001, 'param is invalid: flow_records')
    }
    for (const r of records as Record<string, unknown>[]) {
      const time = r['check_time']
      for (const key of ['user_id', 'creator_id', 'location_name', 'check_time', 'comment']) {
        if (typeof r[key] !== 'string') return refusal(1220001, `param is invalid: ${key}`)
      }
      if (!/^\d+$/.test(String(time)) || Number(time) < EARLIEST) {
        return refusal(1220001, 'param is invalid: check_time')
      }
      if (!this.users.has(r['user_id'] as string)) {
        return refusal(1220001, `param is invalid: user ${String(r['user_id'])} not found`)
      }
    }
    const flow_records = (records as Record<string, string>[]).map((r) => {
      const same = r['idempotent_id']
        ? this.flows.find((f) => f.idempotent_id === r['idempotent_id'])
        : undefined
      if (same) return same
      const flow: FeishuFlow = {
        record_id: String(this.nextRecord++),
        user_id: r['user_id']!,
        creator_id: r['creator_id']!,
        location_name: r['location_name']!,
        check_time: r['check_time']!,
        comment: r['comment']!,
        ...(r['external_id'] ? { external_id: r['external_id'] } : {}),
        ...(r['idempotent_id'] ? { idempotent_id: r['idempotent_id'] } : {}),
      }
      this.flows.push(flow)
      return flow
    })
    return { body: { code: 0, msg: 'success', data: { flow_records } } }
  }

  private query(req: FakeRequest): FakeAnswer {
    const refused = this.tokenError(req)
    if (refused) return refused
    const b = (req.body ?? {}) as Record<string, unknown>
    const ids = b['user_ids']
    const from = Number(b['check_time_from'])
    const to = Number(b['check_time_to'])
    if (!Array.isArray(ids) || ids.length > 50 || !(from <= to)) {
      return refusal(1220001, 'param is invalid')
    }
    const user_flow_results = this.flows.filter(
      (f) => ids.includes(f.user_id) && Number(f.check_time) >= from && Number(f.check_time) <= to,
    )
    return { body: { code: 0, msg: 'success', data: { user_flow_results } } }
  }
}
