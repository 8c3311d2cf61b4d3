/**
 * Feishu / Lark (飞书) attendance: `attendance/v1/user_flows/batch_create` takes up to 50 flow
 * records, `check_time` in seconds as a string. Each record carries the punch id as
 * `idempotent_id` (and `external_id`), so Feishu itself makes a replay create nothing twice.
 */
import { AccessToken, required, type PlatformContext } from '../access-token'
import type { Connector, OutgoingPunch, UploadOutcome } from '../connector'
import { CrmError, createHttp } from '../http'
import { instantOf, punchInstant } from '../platform-reply'
import { feishuReply, NAME } from './replies'
import type { FeishuSettings } from './settings'

export const FEISHU_URL = 'https://open.feishu.cn'
/** Most flow records one batch_create call takes. */
export const FEISHU_MAX_RECORDS = 50
/** Feishu imports punches from 2022-01-01 (UTC+8) on only. */
export const FEISHU_EARLIEST_MS = Date.parse('2022-01-01T00:00:00+08:00')

export interface FeishuOptions {
  baseUrl: string
  appId: string
  appSecret: string
  employeeType: 'employee_id' | 'employee_no'
  /** The creator recorded on every punch; undefined: the person who punched. */
  creatorId?: string
  /** Shown as the punch's place (location_name). */
  location: string
  deviceId: string
  timeoutMs: number
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
  now?: () => number
}

interface FlowRecord {
  user_id: string
  creator_id: string
  location_name: string
  check_time: string
  comment: string
  external_id: string
  idempotent_id: string
}

/** A connector importing punches into one Feishu tenant. */
export function feishuConnector(o: FeishuOptions): Connector {
  const send = createHttp({
    baseUrl: new URL(o.baseUrl),
    timeoutMs: o.timeoutMs,
    name: NAME,
    ...(o.onServerDate ? { onServerDate: o.onServerDate } : {}),
  })
  const secrets = (): string[] => [o.appSecret, tokens.held() ?? ''].filter(Boolean)
  const tokens: AccessToken = new AccessToken(async () => {
    const res = await send({
      method: 'POST',
      path: '/open-apis/auth/v3/tenant_access_token/internal',
      body: { app_id: o.appId, app_secret: o.appSecret },
    })
    const answer = feishuReply(res, secrets())
    if (!answer.ok) throw new CrmError('unauthorised', answer.refusal)
    const token = answer.body['tenant_access_token']
    const expires = instantOf(answer.body['expire'])
    if (typeof token !== 'string' || token === '' || expires === undefined) {
      throw new CrmError('malformed', `unexpected reply from ${NAME}: no tenant_access_token`)
    }
    return { token, expiresInSeconds: expires }
  }, o.now)
  const call = (path: string, body: unknown) =>
    tokens.use(async (token) =>
      feishuReply(
        await send({
          method: 'POST',
          path,
          params: { employee_type: o.employeeType },
          headers: { Authorization: `Bearer ${token}` },
          body,
        }),
        secrets(),
      ),
    )

  /** The ids among `records` that Feishu holds (asked when its reply left them out). */
  async function held(records: FlowRecord[]): Promise<Set<string>> {
    const found = new Set<string>()
    for (let i = 0; i < records.length; i += FEISHU_MAX_RECORDS) {
      const group = records.slice(i, i + FEISHU_MAX_RECORDS)
      const times = group.map((r) => Number(r.check_time))
      const answer = await call('/open-apis/attendance/v1/user_flows/query', {
        user_ids: [...new Set(group.map((r) => r.user_id))],
        check_time_from: String(Math.min(...times)),
        check_time_to: String(Math.max(...times)),
      })
      // A refused look-up finds nothing: those punches are then dead letters, not a loop.
      if (!answer.ok) continue
      const data = answer.body['data'] as Record<string, unknown> | undefined
      for (const id of matching(group, data?.['user_flow_results'])) found.add(id)
    }
    return found
  }

  return {
    kind: 'feishu',
    name: NAME,
    maxBatch: FEISHU_MAX_RECORDS,
    health: () => tokens.renew().then(() => undefined),
    async upload(batch) {
      const outcomes = new Map<string, UploadOutcome>()
      const records: FlowRecord[] = []
      for (const item of batch) {
        const refusal = unsendable(item)
        if (refusal) outcomes.set(item.punch.id, refusal)
        else records.push(flowRecord(item, o))
      }
      if (records.length > 0) {
        const answer = await call('/open-apis/attendance/v1/user_flows/batch_create', {
          flow_records: records,
        })
        if (!answer.ok && records.length > 1) throw new CrmError('rejected-request', answer.refusal)
        if (!answer.ok) {
          const id = records[0]!.idempotent_id
          outcomes.set(id, { id, status: 'rejected', reason: answer.refusal })
        } else {
          const data = answer.body['data'] as Record<string, unknown> | undefined
          const created = matching(records, data?.['flow_records'])
          const missing = records.filter((r) => !created.has(r.idempotent_id))
          const there = missing.length > 0 ? await held(missing) : new Set<string>()
          for (const { idempotent_id: id } of records) {
            outcomes.set(
              id,
              created.has(id)
                ? { id, status: 'created' }
                : there.has(id)
                  ? { id, status: 'duplicate' }
                  : {
                      id,
                      status: 'rejected',
                      reason: `${NAME} accepted the batch but did not import this punch`,
                    },
            )
          }
        }
      }
      return batch.map((item) => outcomes.get(item.punch.id)!)
    },
  }
}

/** The connector for `crm.kind` "feishu" from its config keys. */
export function feishuFromConfig(
  crm: { url: string | null; feishu: FeishuSettings },
  context: PlatformContext,
): Connector {
  return feishuConnector({
    baseUrl: crm.url ?? FEISHU_URL,
    appId: required(crm.feishu.appId, 'feishu.appId'),
    appSecret: required(crm.feishu.appSecret, 'feishu.appSecret'),
    employeeType: crm.feishu.employeeType,
    ...(crm.feishu.creatorId ? { creatorId: crm.feishu.creatorId } : {}),
    location: context.siteId,
    deviceId: context.deviceId,
    timeoutMs: context.timeoutMs,
    ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
  })
}

function flowRecord({ punch }: OutgoingPunch, o: FeishuOptions): FlowRecord {
  const direction = punch.type === 'in' ? 'check-in' : 'check-out'
  return {
    user_id: punch.employeeId,
    creator_id: o.creatorId ?? punch.employeeId,
    location_name: o.location,
    check_time: String(Math.floor(punchInstant(punch.occurredAt)! / 1000)),
    comment: `Clockface ${direction} (${o.deviceId})`,
    external_id: punch.id,
    idempotent_id: punch.id,
  }
}

/** The ids of `records` found in Feishu's list: by our id, else by person and second. */
function matching(records: FlowRecord[], list: unknown): Set<string> {
  if (list === undefined || list === null) return new Set()
  if (!Array.isArray(list)) throw new CrmError('malformed', `unexpected reply from ${NAME}`)
  const ids = new Set<string>()
  const times = new Set<string>()
  for (const flow of list as Record<string, unknown>[]) {
    for (const key of ['external_id', 'idempotent_id']) {
      if (typeof flow?.[key] === 'string') ids.add(flow[key] as string)
    }
    if (typeof flow?.['user_id'] === 'string' && flow['check_time'] !== undefined) {
      times.add(`${flow['user_id']}\u0000${String(flow['check_time'])}`)
    }
  }
  return new Set(
    records
      .filter((r) => ids.has(r.idempotent_id) || times.has(`${r.user_id}\u0000${r.check_time}`))
      .map((r) => r.idempotent_id),
  )
}

/** A punch Feishu cannot take, refused before anything is sent. */
function unsendable({ punch }: OutgoingPunch): UploadOutcome | undefined {
  const at = punchInstant(punch.occurredAt)
  const refuse = (reason: string): UploadOutcome => ({ id: punch.id, status: 'rejected', reason })
  if (at === undefined) return refuse(`unreadable time "${punch.occurredAt}"`)
  if (at < FEISHU_EARLIEST_MS) {
    return refuse(
      `${NAME} imports punches from 2022-01-01 on only (this one is from ${punch.occurredAt})`,
    )
  }
  const kind = punch.correction?.kind
  if (kind === 'amended' || kind === 'voided') {
    return refuse(`${NAME} cannot amend or void a punch from a device; correct it in Feishu`)
  }
  return undefined
}
