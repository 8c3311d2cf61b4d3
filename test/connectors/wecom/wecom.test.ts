/** The WeCom connector against the fake WeCom on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest'
import type { OutgoingPunch, UploadOutcome } from '../../../electron/core/connectors/connector'
import { CrmError } from '../../../electron/core/connectors/http'
import { createConnector } from '../../../electron/core/connectors/index'
import { crmSettings } from '../../../electron/core/connectors/settings'
import { wecomConnector } from '../../../electron/core/connectors/wecom/connector'
import { silentLogger } from '../../../electron/core/logger'
import { parseOrThrow } from '../../../electron/shared/schema'
import { punch } from '../../crm/fixtures'
import { memoryState } from '../dingtalk/memory-state'
import { FakeWecom } from './fake-wecom'

const ADD = '/cgi-bin/checkin/add_checkin_record'
const QUERY = '/cgi-bin/checkin/getcheckindata'
let fake: FakeWecom

afterEach(() => fake?.stop())

async function setUp(state = memoryState()) {
  fake = await new FakeWecom(['E001', 'E002']).start()
  const connect = () =>
    wecomConnector({
      baseUrl: fake.url,
      corpId: fake.corpId,
      corpSecret: fake.corpSecret,
      deviceId: 'kiosk-door-1',
      location: 'HQ Berlin',
      timeoutMs: 2000,
      state,
    })
  return { connector: connect(), connect }
}

const item = (overrides: Parameters<typeof punch>[0] = {}): OutgoingPunch => ({
  punch: punch({ employeeId: 'E001', occurredAt: '2025-03-31T08:57:00.750+02:00', ...overrides }),
})
const statuses = (outcomes: UploadOutcome[]) => outcomes.map((o) => o.status)

describe('WeCom connector', () => {
  it('sends a batch as seconds since the epoch, userid = employee id, as an attendance machine', async () => {
    const { connector } = await setUp()
    const before = item({ occurredAt: '2025-10-26T02:59:59+02:00' })
    const after = item({ occurredAt: '2025-10-26T02:00:01+01:00', type: 'out' })
    expect(statuses(await connector.upload([item(), before, after]))).toEqual([
      'created',
      'created',
      'created',
    ])
    expect(fake.count(ADD)).toBe(1)
    expect(fake.records.map((r) => r.checkin_time)).toEqual([
      Math.floor(Date.parse('2025-03-31T06:57:00Z') / 1000),
      Date.parse('2025-10-26T00:59:59Z') / 1000,
      Date.parse('2025-10-26T01:00:01Z') / 1000,
    ])
    expect(fake.records[0]).toMatchObject({
      userid: 'E001',
      device_type: 2,
      location_title: 'HQ Berlin',
      device_detail: 'Clockface kiosk-door-1',
    })
  })

  it('looks up a batch whose reply was lost and creates nothing twice, after a restart too', async () => {
    const { connector, connect } = await setUp()
    const batch = [item(), item({ employeeId: 'E002', occurredAt: '2025-03-31T09:01:00+02:00' })]
    fake.trick(ADD, 'drop-reply')
    await expect(connector.upload(batch)).rejects.toMatchObject({ kind: 'network' })
    expect(fake.records).toHaveLength(2)
    expect(statuses(await connect().upload(batch))).toEqual(['duplicate', 'duplicate'])
    expect(fake.records).toHaveLength(2)
    expect(fake.count(ADD)).toBe(1)
    // Answered: the next batch is sent without a look-up.
    await connect().upload([item({ occurredAt: '2025-03-31T17:00:00+02:00' })])
    expect(fake.count(QUERY)).toBe(1)
  })

  it('tells two punches of one person in one second apart by the punch id in the note', async () => {
    const { connector } = await setUp()
    const first = item({ occurredAt: '2025-03-31T08:57:00.100+02:00' })
    const second = item({ occurredAt: '2025-03-31T08:57:00.900+02:00' })
    fake.trick(ADD, 'drop-reply')
    await expect(connector.upload([first])).rejects.toMatchObject({ kind: 'network' })
    fake.trick(ADD, { status: 502, body: {} })
    await expect(connector.upload([second])).rejects.toMatchObject({ kind: 'server' })
    expect(statuses(await connector.upload([first, second]))).toEqual(['duplicate', 'created'])
    expect(fake.records.map((r) => r.notes)).toEqual([
      `Clockface check-in ${first.punch.id}`,
      `Clockface check-in ${second.punch.id}`,
    ])
  })

  it('counts a batch WeCom confirmed as done when the outbox sends it again', async () => {
    const { connect } = await setUp()
    const batch = [item(), item({ employeeId: 'E002' })]
    await connect().upload(batch)
    expect(statuses(await connect().upload(batch))).toEqual(['duplicate', 'duplicate'])
    expect(fake.count(ADD)).toBe(1)
    expect(fake.records).toHaveLength(2)
  })

  it('after a 5xx resends a batch only once it has looked: what is there is done', async () => {
    const { connector } = await setUp()
    const landed = item()
    await connector.upload([landed])
    // Earliest of the look-up: WeCom's "未打卡" row at the window's start must not count.
    const fresh = item({ occurredAt: '2025-03-31T07:00:00+02:00' })
    fake.trick(ADD, { status: 500, body: {} })
    await expect(connector.upload([landed, fresh])).rejects.toMatchObject({ kind: 'server' })
    expect(statuses(await connector.upload([landed, fresh]))).toEqual(['duplicate', 'created'])
    expect(fake.records).toHaveLength(2)
  })

  it("refuses a lone punch in WeCom's words, and splits a refused batch", async () => {
    const { connector } = await setUp()
    await expect(connector.upload([item(), item({ employeeId: 'E404' })])).rejects.toMatchObject({
      kind: 'rejected-request',
    })
    expect(fake.records).toHaveLength(0)
    const [alone] = await connector.upload([item({ employeeId: 'E404' })])
    expect(alone).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/60111: userid not found/),
    })
    const voided = item({
      correction: {
        kind: 'voided',
        supersedes: 'x',
        reason: 'r',
        enteredBy: 'a',
        enteredAt: '2025-03-31T09:00:00Z',
      },
    })
    expect(statuses(await connector.upload([voided, item()]))).toEqual(['rejected', 'created'])
  })

  it('renews an expired token once (42001) and sends again', async () => {
    const { connector } = await setUp()
    await connector.upload([item()])
    fake.expireTokens()
    expect(
      statuses(await connector.upload([item({ occurredAt: '2025-03-31T18:00:00+02:00' })])),
    ).toEqual(['created'])
    expect(fake.count('/cgi-bin/gettoken')).toBe(2)
    const invalid = { errcode: 40014, errmsg: 'invalid access_token' }
    fake.trick(ADD, { body: invalid }, { body: invalid })
    await expect(connector.upload([item()])).rejects.toMatchObject({ kind: 'unauthorised' })
  })

  it('waits on 45009 and -1, and on HTTP 5xx', async () => {
    const { connector } = await setUp()
    fake.trick(ADD, { body: { errcode: 45009, errmsg: 'api freq out of limit' } })
    await expect(connector.upload([item()])).rejects.toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 60_000,
    })
    fake.trick(ADD, { body: { errcode: -1, errmsg: 'system busy' } })
    await expect(connector.upload([item()])).rejects.toMatchObject({ kind: 'unavailable' })
    fake.trick(ADD, { status: 503, headers: { 'retry-after': '3' }, body: {} })
    await expect(connector.upload([item()])).rejects.toMatchObject({ retryAfterMs: 3000 })
  })

  it('meets hostile replies with clear errors, and names no secret', async () => {
    const { connector } = await setUp()
    for (const trick of ['html', 'garbage', 'huge'] as const) {
      fake.trick(ADD, trick)
      const error = await connector.upload([item()]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CrmError)
      expect(error).toMatchObject({ kind: 'malformed' })
    }
    const token = fake.calls.find((c) => c.path === ADD)?.query.get('access_token') ?? ''
    fake.trick(ADD, { body: { errcode: 40058, errmsg: `${token} ${fake.corpSecret}` } })
    const [echo] = await connector.upload([item()])
    const reason = echo?.status === 'rejected' ? echo.reason : ''
    expect(reason).toMatch(/40058/)
    expect(reason).not.toContain(token)
    expect(reason).not.toContain(fake.corpSecret)
    const wrong = wecomConnector({
      baseUrl: fake.url,
      corpId: fake.corpId,
      corpSecret: 'nope-nope-nope',
      deviceId: 'k',
      location: 'x',
      timeoutMs: 2000,
      state: memoryState(),
    })
    const error = await wrong.health().catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'unauthorised', message: expect.stringMatching(/40001/) })
    expect((error as Error).message).not.toContain('nope-nope-nope')
  })

  it('is what crm.kind "wecom" builds from the config', async () => {
    await setUp()
    const crm = parseOrThrow(crmSettings, {
      kind: 'wecom',
      url: fake.url,
      wecom: { corpId: fake.corpId, corpSecret: fake.corpSecret },
    })
    const context = {
      siteId: 'hq',
      timeZone: 'Asia/Shanghai',
      deviceId: 'kiosk-2',
      timeoutMs: 2000,
    }
    const connector = createConnector(crm, { ...context, state: memoryState(), log: silentLogger })
    expect(connector?.maxBatch).toBe(200)
    await connector!.health()
    expect(statuses(await connector!.upload([item()]))).toEqual(['created'])
    expect(fake.records[0]?.location_title).toBe('hq')
  })
})
