/**
 * WeCom (企业微信) attendance: `checkin/add_checkin_record` takes up to 200 records, times in
 * seconds. WeCom keeps no idempotency key, so punches whose answer was never heard are first
 * looked up with `checkin/getcheckindata` (that person, that second) and counted done there.
 */
import {
  required,
  SendLedger,
  settledSends,
  type DurableState,
  type PlatformContext,
} from '../access-token'
import type { Connector, OutgoingPunch, UploadOutcome } from '../connector'
import { CrmError } from '../http'
import { errcodeClient } from '../errcode-client'
import { punchInstant } from '../platform-reply'
import { NAME, verdict } from './errcodes'
import { findHeld, noteFor } from './lookup'
import type { WecomSettings } from './settings'

export const WECOM_URL = 'https://qyapi.weixin.qq.com'
/** Most records one add_checkin_record call takes. */
export const WECOM_MAX_RECORDS = 200
const ATTENDANCE_MACHINE = 2

export interface WecomOptions {
  baseUrl: string
  corpId: string
  corpSecret: string
  deviceId: string
  /** Shown as the punch's place (location_title). */
  location: string
  timeoutMs: number
  state: DurableState
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
  now?: () => number
}

/** A connector uploading to one WeCom corp as one attendance machine. */
export function wecomConnector(o: WecomOptions): Connector {
  const { tokens, call } = errcodeClient({
    baseUrl: o.baseUrl,
    timeoutMs: o.timeoutMs,
    name: NAME,
    ...(o.onServerDate ? { onServerDate: o.onServerDate } : {}),
    secret: o.corpSecret,
    tokenPath: '/cgi-bin/gettoken',
    tokenParams: { corpid: o.corpId, corpsecret: o.corpSecret },
    verdict,
    ...(o.now ? { now: o.now } : {}),
  })
  const ledger = new SendLedger(o.state)

  return {
    kind: 'wecom',
    name: NAME,
    maxBatch: WECOM_MAX_RECORDS,
    health: () => tokens.renew().then(() => undefined),
    async upload(batch) {
      const outcomes = new Map<string, UploadOutcome>()
      const sendable: { item: OutgoingPunch; seconds: number }[] = []
      for (const item of batch) {
        const refusal = unsendable(item)
        if (refusal) outcomes.set(item.punch.id, refusal)
        else
          sendable.push({ item, seconds: Math.floor(punchInstant(item.punch.occurredAt)! / 1000) })
      }
      const before = ledger.read()
      for (const { item } of sendable) {
        const id = item.punch.id
        if (before.get(id) === 'done') outcomes.set(id, { id, status: 'duplicate' })
      }
      const replayed = sendable.filter(({ item }) => before.get(item.punch.id) === 'sent')
      const held = await findHeld(replayed, async (query) => {
        const { reply, answer } = await call('/cgi-bin/checkin/getcheckindata', query)
        if (!answer.ok) throw new CrmError('rejected-request', answer.refusal)
        return reply['checkindata']
      })
      for (const id of held) outcomes.set(id, { id, status: 'duplicate' })
      const records = sendable.filter(({ item }) => !outcomes.has(item.punch.id))
      const ids = records.map(({ item }) => item.punch.id)
      if (records.length > 0) {
        ledger.record([
          ...ids.map((id) => [id, 'sent'] as [string, 'sent']),
          ...[...held].map((id) => [id, 'done'] as [string, 'done']),
        ])
        const { answer } = await call('/cgi-bin/checkin/add_checkin_record', {
          records: records.map(({ item, seconds }) => ({
            userid: item.punch.employeeId,
            checkin_time: seconds,
            location_title: o.location,
            location_detail: o.location,
            notes: noteFor(item),
            device_type: ATTENDANCE_MACHINE,
            device_detail: `Clockface ${o.deviceId}`.slice(0, 40),
          })),
        })
        // A refused call names no record: alone, the punch is refused; in company, the batch
        // is split until the culprit stands alone (the marks stay, so the halves look first).
        if (!answer.ok && records.length > 1) throw new CrmError('rejected-request', answer.refusal)
        for (const id of ids) {
          outcomes.set(
            id,
            answer.ok
              ? { id, status: 'created' }
              : { id, status: 'rejected', reason: answer.refusal },
          )
        }
      }
      const all = batch.map((item) => outcomes.get(item.punch.id)!)
      ledger.record(settledSends(before, all, new Set()))
      return all
    },
  }
}

/** The connector for `crm.kind` "wecom" from its config keys. */
export function wecomFromConfig(
  crm: { url: string | null; wecom: WecomSettings },
  context: PlatformContext,
): Connector {
  return wecomConnector({
    baseUrl: crm.url ?? WECOM_URL,
    corpId: required(crm.wecom.corpId, 'wecom.corpId'),
    corpSecret: required(crm.wecom.corpSecret, 'wecom.corpSecret'),
    deviceId: context.deviceId,
    location: context.siteId,
    timeoutMs: context.timeoutMs,
    state: context.state,
    ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
  })
}

/** A punch WeCom's record call cannot carry, refused before anything is sent. */
function unsendable({ punch }: OutgoingPunch): UploadOutcome | undefined {
  if (punchInstant(punch.occurredAt) === undefined) {
    return { id: punch.id, status: 'rejected', reason: `unreadable time "${punch.occurredAt}"` }
  }
  const kind = punch.correction?.kind
  if (kind === 'amended' || kind === 'voided') {
    return {
      id: punch.id,
      status: 'rejected',
      reason: `${NAME} cannot amend or void a punch from a device; correct it in WeCom`,
    }
  }
  return undefined
}
