/** The DingTalk connector against the fake DingTalk on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest'
import { dingtalkConnector } from '../../../electron/core/connectors/dingtalk/connector'
import type { OutgoingPunch, UploadOutcome } from '../../../electron/core/connectors/connector'
import { createConnector } from '../../../electron/core/connectors/index'
import { crmSettings } from '../../../electron/core/connectors/settings'
import { CrmError } from '../../../electron/core/connectors/http'
import { parseOrThrow } from '../../../electron/shared/schema'
import { silentLogger } from '../../../electron/core/logger'
import { punch } from '../../crm/fixtures'
import { FakeDingtalk } from './fake-dingtalk'
import { memoryState } from './memory-state'

const NOW = Date.parse('2025-04-01T10:00:00Z')
const UPLOAD = '/topapi/attendance/record/upload'
const ZONE = 'Europe/Berlin'
let fake: FakeDingtalk

afterEach(() => fake?.stop())

async function setUp(state = memoryState()) {
  fake = await new FakeDingtalk(['E001', 'E002'], ZONE, () => NOW).start()
  const connect = () =>
    dingtalkConnector({
      baseUrl: fake.url,
      appKey: fake.appKey,
      appSecret: fake.appSecret,
      deviceId: 'kiosk-door-1',
      timeZone: ZONE,
      timeoutMs: 2000,
      state,
      now: () => NOW,
    })
  return { connector: connect(), connect, state }
}

const item = (overrides: Parameters<typeof punch>[0] = {}): OutgoingPunch => ({
  punch: punch({ employeeId: 'E001', occurredAt: '2025-03-31T08:57:00+02:00', ...overrides }),
})
const statuses = (outcomes: UploadOutcome[]) => outcomes.map((o) => o.status)
const errorOf = (outcome: UploadOutcome | undefined) =>
  outcome?.status === 'retry' ? outcome.error : undefined

describe('DingTalk connector', () => {
  it('sends each punch as the instant in ms, the employee id as userid, from this device', async () => {
    const { connector } = await setUp()
    // The night Berlin's clocks jump from 02:00 to 03:00: one minute apart in real time.
    const before = item({ occurredAt: '2025-03-30T01:59:30+01:00' })
    const after = item({ occurredAt: '2025-03-30T03:00:30+02:00', type: 'out' })
    expect(statuses(await connector.upload([before, after]))).toEqual(['created', 'created'])
    expect(fake.records).toEqual([
      expect.objectContaining({
        userId: 'E001',
        userCheckTime: Date.parse('2025-03-30T00:59:30Z'),
        deviceId: 'kiosk-door-1',
      }),
      expect.objectContaining({ userCheckTime: Date.parse('2025-03-30T01:00:30Z') }),
    ])
  })

  it('looks before it resends a punch whose reply was lost, across a restart and DST', async () => {
    const { connector, connect } = await setUp()
    const lost = item({ occurredAt: '2025-03-30T03:00:30+02:00' })
    fake.trick(UPLOAD, 'drop-reply')
    const first = await connector.upload([lost])
    expect(errorOf(first[0])?.kind).toBe('network')
    expect(fake.records).toHaveLength(1)
    // A fresh connector on the same durable state, as after kill -9 and a restart.
    expect(statuses(await connect().upload([lost]))).toEqual(['duplicate'])
    expect(fake.records).toHaveLength(1)
    expect(fake.count('/attendance/listRecord')).toBe(1)
    // Answered now: a later upload of a new punch sends without looking.
    await connect().upload([item({ occurredAt: '2025-03-31T17:00:00+02:00' })])
    expect(fake.count('/attendance/listRecord')).toBe(1)
  })

  it('tells two punches of one person in one second apart by their ms', async () => {
    const { connector } = await setUp()
    const first = item({ occurredAt: '2025-03-31T08:57:00.100+02:00' })
    const second = item({ occurredAt: '2025-03-31T08:57:00.900+02:00' })
    fake.trick(UPLOAD, 'drop-reply')
    await connector.upload([first])
    fake.trick(UPLOAD, { status: 502, body: {} })
    await connector.upload([second])
    expect(statuses(await connector.upload([first, second]))).toEqual(['duplicate', 'created'])
    expect(fake.records).toHaveLength(2)
  })

  it('counts a punch DingTalk confirmed as done when the outbox sends it again', async () => {
    const { connect } = await setUp()
    const p = item()
    expect(statuses(await connect().upload([p]))).toEqual(['created'])
    expect(statuses(await connect().upload([p, item({ employeeId: 'E002' })]))).toEqual([
      'duplicate',
      'created',
    ])
    expect(fake.records).toHaveLength(2)
    expect(fake.count('/attendance/listRecord')).toBe(0)
  })

  it('resends after a lost reply when DingTalk does not hold the punch', async () => {
    const { connector } = await setUp()
    const p = item()
    fake.trick(UPLOAD, { status: 502, body: { message: 'bad gateway' } })
    expect(errorOf((await connector.upload([p]))[0])?.kind).toBe('server')
    expect(statuses(await connector.upload([p]))).toEqual(['created'])
    expect(fake.records).toHaveLength(1)
  })

  it("refuses for good in DingTalk's own words, and keeps sending the others", async () => {
    const { connector } = await setUp()
    const outcomes = await connector.upload([item({ employeeId: 'E404' }), item()])
    expect(outcomes[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/33012: 无效的USERID/),
    })
    expect(outcomes[1]?.status).toBe('created')
  })

  it('refuses punches older than 180 days and corrections it cannot carry, unsent', async () => {
    const { connector } = await setUp()
    const old = item({ occurredAt: '2024-09-01T09:00:00+02:00' })
    const voided = item({
      correction: {
        kind: 'voided',
        supersedes: 'x',
        reason: 'wrong',
        enteredBy: 'a',
        enteredAt: '2025-03-31T09:00:00Z',
      },
    })
    const outcomes = await connector.upload([old, voided])
    expect(outcomes.map((o) => o.status === 'rejected' && o.reason)).toEqual([
      expect.stringMatching(/180 days/),
      expect.stringMatching(/cannot amend or void/),
    ])
    expect(fake.count(UPLOAD)).toBe(0)
  })

  it('renews an expired token once and sends again; a second refusal is unauthorised', async () => {
    const { connector } = await setUp()
    await connector.upload([item()])
    fake.expireTokens()
    expect(statuses(await connector.upload([item()]))).toEqual(['created'])
    expect(fake.count('/gettoken')).toBe(2)
    const stale = { errcode: 88, sub_code: '42001', sub_msg: 'access_token超时', errmsg: 'x' }
    fake.trick(UPLOAD, { body: stale }, { body: stale })
    const outcomes = await connector.upload([item(), item()])
    expect(errorOf(outcomes[0])?.kind).toBe('unauthorised')
    expect(errorOf(outcomes[1])?.kind).toBe('unauthorised')
    expect(fake.count(UPLOAD)).toBe(5)
  })

  it('waits when throttled (90018, -1, HTTP 503 with Retry-After) and sends nothing more', async () => {
    const { connector } = await setUp()
    fake.trick(UPLOAD, { body: { errcode: 90018, errmsg: '调用太频繁' } })
    let outcomes = await connector.upload([item(), item({ employeeId: 'E002' })])
    expect(errorOf(outcomes[0])).toMatchObject({ kind: 'rate-limited', retryAfterMs: 1000 })
    expect(errorOf(outcomes[1])?.kind).toBe('rate-limited')
    fake.trick(UPLOAD, { body: { errcode: -1, errmsg: '系统繁忙' } })
    expect(errorOf((await connector.upload([item()]))[0])?.kind).toBe('unavailable')
    fake.trick(UPLOAD, { status: 503, headers: { 'retry-after': '7' }, body: {} })
    outcomes = await connector.upload([item()])
    expect(errorOf(outcomes[0])).toMatchObject({ kind: 'unavailable', retryAfterMs: 7000 })
    expect(fake.records).toHaveLength(0)
  })

  it('meets hostile replies with clear errors that carry no secret', async () => {
    const { connector } = await setUp()
    for (const trick of ['html', 'garbage', 'huge'] as const) {
      fake.trick(UPLOAD, trick)
      const error = errorOf((await connector.upload([item()]))[0])
      expect(error?.kind).toBe('malformed')
    }
    const token = fake.calls.find((c) => c.path === UPLOAD)?.query.get('access_token') ?? ''
    expect(token).not.toBe('')
    fake.trick(UPLOAD, { body: { errcode: 40035, errmsg: `bad ${token} ${fake.appSecret}` } })
    const [echo] = await connector.upload([item()])
    const reason = echo?.status === 'rejected' ? echo.reason : ''
    expect(reason).toContain('40035')
    expect(reason).not.toContain(token)
    expect(reason).not.toContain(fake.appSecret)
  })

  it('health fetches a token; a wrong secret is unauthorised without echoing it', async () => {
    const { state } = await setUp()
    const wrong = dingtalkConnector({
      baseUrl: fake.url,
      appKey: fake.appKey,
      appSecret: 'not-the-secret-1234',
      deviceId: 'k',
      timeZone: ZONE,
      timeoutMs: 2000,
      state,
    })
    const error = await wrong.health().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CrmError)
    expect(error).toMatchObject({ kind: 'unauthorised', message: expect.stringMatching(/40096/) })
    expect((error as Error).message).not.toContain('not-the-secret-1234')
  })

  it('is what crm.kind "dingtalk" builds from the config', async () => {
    await setUp()
    const crm = parseOrThrow(crmSettings, {
      kind: 'dingtalk',
      url: fake.url,
      dingtalk: { appKey: fake.appKey, appSecret: fake.appSecret },
    })
    const connector = createConnector(crm, {
      siteId: 'hq',
      timeZone: ZONE,
      deviceId: 'kiosk-2',
      timeoutMs: 2000,
      state: memoryState(),
      log: silentLogger,
    })
    expect(connector?.kind).toBe('dingtalk')
    await connector!.health()
    expect(
      statuses(await connector!.upload([item({ occurredAt: new Date().toISOString() })])),
    ).toEqual(['created'])
    expect(fake.records[0]?.deviceId).toBe('kiosk-2')
  })
})
