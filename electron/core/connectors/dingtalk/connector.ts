/**
 * DingTalk (钉钉) attendance: one punch per `topapi/attendance/record/upload` call, times in ms.
 * DingTalk keeps no idempotency key, so a punch whose answer was never heard is first looked up
 * with `attendance/listRecord` (this device, that instant) and counted done when it is there.
 */
import {
  required,
  SendLedger,
  settledSends,
  type DurableState,
  type PlatformContext,
} from '../access-token'
import {
  onePunchAtATime,
  type Connector,
  type OutgoingPunch,
  type UploadOutcome,
} from '../connector'
import { CrmError } from '../http'
import { errcodeClient } from '../errcode-client'
import { instantOf, punchInstant } from '../platform-reply'
import { NAME, verdict } from './errcodes'
import type { DingtalkSettings } from './settings'

export const DINGTALK_URL = 'https://oapi.dingtalk.com'
/** DingTalk takes punches from the last 180 days only. */
export const DINGTALK_MAX_AGE_MS = 180 * 24 * 3600 * 1000
// The lookup window around a punch, wide enough for any gap between the site's zone and the
// corp's, and within listRecord's 7 days.
const LOOKUP_MARGIN_MS = 2 * 24 * 3600 * 1000

export interface DingtalkOptions {
  baseUrl: string
  appKey: string
  appSecret: string
  deviceId: string
  /** The site's IANA zone: listRecord takes wall times. */
  timeZone: string
  timeoutMs: number
  state: DurableState
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
  now?: () => number
}

/** A connector uploading to one DingTalk corp as one attendance machine (`device_id`). */
export function dingtalkConnector(o: DingtalkOptions): Connector {
  const now = o.now ?? Date.now
  const { tokens, call } = errcodeClient({
    baseUrl: o.baseUrl,
    timeoutMs: o.timeoutMs,
    name: NAME,
    ...(o.onServerDate ? { onServerDate: o.onServerDate } : {}),
    secret: o.appSecret,
    tokenPath: '/gettoken',
    tokenParams: { appkey: o.appKey, appsecret: o.appSecret },
    verdict,
    ...(o.now ? { now: o.now } : {}),
  })
  const ledger = new SendLedger(o.state)

  /** Whether DingTalk holds the punch already; a refused lookup is the punch's refusal. */
  async function lookUp(
    punch: OutgoingPunch['punch'],
    at: number,
  ): Promise<'held' | 'absent' | { refusal: string }> {
    const { reply, answer } = await call('/attendance/listRecord', {
      userIds: [punch.employeeId],
      checkDateFrom: wallTime(at - LOOKUP_MARGIN_MS, o.timeZone),
      checkDateTo: wallTime(at + LOOKUP_MARGIN_MS, o.timeZone),
      isI18n: false,
    })
    if (!answer.ok) return { refusal: answer.refusal }
    const records = reply['recordresult'] ?? []
    if (!Array.isArray(records)) throw new CrmError('malformed', `unexpected reply from ${NAME}`)
    const held = records.some((r: Record<string, unknown> | null) => {
      const time = instantOf(r?.['userCheckTime'])
      const device = r?.['deviceId']
      return (
        r?.['userId'] === punch.employeeId &&
        time !== undefined &&
        sameInstant(time, at) &&
        (device === undefined || device === null || device === '' || device === o.deviceId)
      )
    })
    return held ? 'held' : 'absent'
  }

  async function uploadOne(item: OutgoingPunch, replayed: boolean): Promise<UploadOutcome> {
    const { punch } = item
    const at = punchInstant(punch.occurredAt)
    if (at === undefined) return refused(punch.id, `unreadable time "${punch.occurredAt}"`)
    const kind = punch.correction?.kind
    if (kind === 'amended' || kind === 'voided') {
      return refused(
        punch.id,
        `${NAME} cannot amend or void a punch from a device; correct it in DingTalk`,
      )
    }
    if (now() - at > DINGTALK_MAX_AGE_MS) {
      return refused(
        punch.id,
        `${NAME} takes punches from the last 180 days only (this one is from ${punch.occurredAt})`,
      )
    }
    if (replayed) {
      const found = await lookUp(punch, at)
      if (found === 'held') return { id: punch.id, status: 'duplicate' }
      if (found !== 'absent') return refused(punch.id, found.refusal)
    }
    const { answer } = await call('/topapi/attendance/record/upload', {
      userid: punch.employeeId,
      device_name: `Clockface ${o.deviceId}`,
      device_id: o.deviceId,
      user_check_time: at,
    })
    return answer.ok ? { id: punch.id, status: 'created' } : refused(punch.id, answer.refusal)
  }

  return {
    kind: 'dingtalk',
    name: NAME,
    maxBatch: 100,
    health: () => tokens.renew().then(() => undefined),
    async upload(batch) {
      const before = ledger.read()
      const idOf = (item: OutgoingPunch) => item.punch.id
      ledger.record(
        batch.filter((i) => before.get(idOf(i)) !== 'done').map((i) => [idOf(i), 'sent'] as const),
      )
      const unheard = new Set<string>()
      const outcomes = await onePunchAtATime(batch, async (item) => {
        const id = idOf(item)
        if (before.get(id) === 'done') return { id, status: 'duplicate' }
        unheard.add(id)
        const outcome = await uploadOne(item, before.get(id) === 'sent')
        unheard.delete(id)
        return outcome
      })
      ledger.record(settledSends(before, outcomes, unheard))
      return outcomes
    },
  }
}

/** The connector for `crm.kind` "dingtalk" from its config keys. */
export function dingtalkFromConfig(
  crm: { url: string | null; dingtalk: DingtalkSettings },
  context: PlatformContext,
): Connector {
  return dingtalkConnector({
    baseUrl: crm.url ?? DINGTALK_URL,
    appKey: required(crm.dingtalk.appKey, 'dingtalk.appKey'),
    appSecret: required(crm.dingtalk.appSecret, 'dingtalk.appSecret'),
    deviceId: context.deviceId,
    timeZone: context.timeZone,
    timeoutMs: context.timeoutMs,
    state: context.state,
    ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
  })
}

/**
 * DingTalk's time for the record against the punch's: to the ms when DingTalk kept the ms, to the
 * second when it holds whole seconds (two punches of one person in one second are then one).
 */
function sameInstant(held: number, sent: number): boolean {
  return held === sent || (held % 1000 === 0 && held === Math.floor(sent / 1000) * 1000)
}

function refused(id: string, reason: string): UploadOutcome {
  return { id, status: 'rejected', reason }
}

/** `yyyy-MM-dd HH:mm:ss` in `zone`, the form listRecord's dates take. */
export function wallTime(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`
}
