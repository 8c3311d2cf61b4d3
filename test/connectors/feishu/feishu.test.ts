/** The Feishu connector against the fake Feishu on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest'
import type { OutgoingPunch, UploadOutcome } from '../../../electron/core/connectors/connector'
import { feishuConnector } from '../../../electron/core/connectors/feishu/connector'
import { CrmError } from '../../../electron/core/connectors/http'
import { createConnector } from '../../../electron/core/connectors/index'
import { crmSettings } from '../../../electron/core/connectors/settings'
import { silentLogger } from '../../../electron/core/logger'
import { parseOrThrow } from '../../../electron/shared/schema'
import { punch } from '../../crm/fixtures'
import { memoryState } from '../dingtalk/memory-state'
import { FakeFeishu } from './fake-feishu'

const CREATE = '/open-apis/attendance/v1/user_flows/batch_create'
const TOKEN = '/open-apis/auth/v3/tenant_access_token/internal'
let fake: FakeFeishu

afterEach(() => fake?.stop())

async function setUp(employeeType: 'employee_id' | 'employee_no' = 'employee_id') {
  fake = await new FakeFeishu(['E001', 'E002'], employeeType).start()
  const connector = feishuConnector({
    baseUrl: fake.url,
    appId: fake.appId,
    appSecret: fake.appSecret,
    employeeType,
    location: 'HQ Shanghai',
    deviceId: 'kiosk-door-1',
    timeoutMs: 2000,
  })
  return { connector }
}

const item = (overrides: Parameters<typeof punch>[0] = {}): OutgoingPunch => ({
  punch: punch({ employeeId: 'E001', occurredAt: '2025-03-31T08:57:00.400+08:00', ...overrides }),
})
const statuses = (outcomes: UploadOutcome[]) => outcomes.map((o) => o.status)

describe('Feishu connector', () => {
  it('sends seconds as a string, the employee id as user_id, the punch id as idempotent_id', async () => {
    const { connector } = await setUp('employee_no')
    const p = item()
    const dst = item({ occurredAt: '2025-03-09T03:00:05-04:00', type: 'out' })
    expect(statuses(await connector.upload([p, dst]))).toEqual(['created', 'created'])
    expect(fake.calls.find((c) => c.path === CREATE)?.query.get('employee_type')).toBe(
      'employee_no',
    )
    expect(fake.flows[0]).toMatchObject({
      user_id: 'E001',
      creator_id: 'E001',
      location_name: 'HQ Shanghai',
      check_time: String(Math.floor(Date.parse('2025-03-31T00:57:00Z') / 1000)),
      external_id: p.punch.id,
      idempotent_id: p.punch.id,
    })
    // New York's spring-forward morning: 03:00:05 EDT is 07:00:05 UTC.
    expect(fake.flows[1]?.check_time).toBe(String(Date.parse('2025-03-09T07:00:05Z') / 1000))
  })

  it('replays a batch whose reply was lost without creating anything twice', async () => {
    const { connector } = await setUp()
    const batch = [item(), item({ employeeId: 'E002' })]
    fake.trick(CREATE, 'drop-reply')
    await expect(connector.upload(batch)).rejects.toMatchObject({ kind: 'network' })
    expect(fake.flows).toHaveLength(2)
    expect(statuses(await connector.upload(batch))).toEqual(['created', 'created'])
    expect(fake.flows).toHaveLength(2)
  })

  it('counts a punch left out of the reply as done when Feishu holds it, else refused', async () => {
    const { connector } = await setUp()
    const there = item()
    await connector.upload([there])
    const other = item({ occurredAt: '2025-03-31T12:00:00+08:00' })
    fake.trick(CREATE, { body: { code: 0, msg: 'success', data: { flow_records: [] } } })
    const outcomes = await connector.upload([there, other])
    expect(outcomes[0]?.status).toBe('duplicate')
    expect(outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/did not import/),
    })
  })

  it("refuses in Feishu's words, splits a refused batch, and refuses what it cannot take", async () => {
    const { connector } = await setUp()
    await expect(connector.upload([item(), item({ employeeId: 'E404' })])).rejects.toMatchObject({
      kind: 'rejected-request',
    })
    const [alone] = await connector.upload([item({ employeeId: 'E404' })])
    expect(alone).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/1220001: .*E404 not found/),
    })
    const old = item({ occurredAt: '2021-12-31T09:00:00+08:00' })
    const [early] = await connector.upload([old])
    expect(early).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/2022-01-01/) })
    expect(fake.flows).toHaveLength(0)
  })

  it('renews an expired tenant token once and sends again; twice refused is unauthorised', async () => {
    const { connector } = await setUp()
    await connector.upload([item()])
    fake.expireTokens()
    expect(statuses(await connector.upload([item()]))).toEqual(['created'])
    expect(fake.count(TOKEN)).toBe(2)
    const invalid = { status: 400, body: { code: 99991663, msg: 'Invalid access token' } }
    fake.trick(CREATE, invalid, invalid)
    await expect(connector.upload([item()])).rejects.toMatchObject({ kind: 'unauthorised' })
  })

  it('waits as long as x-ogw-ratelimit-reset says on 429 (and on the older 400 form)', async () => {
    const { connector } = await setUp()
    const limited = { code: 99991400, msg: 'request trigger frequency limit' }
    const headers = { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '52' }
    fake.trick(
      CREATE,
      { status: 429, headers, body: limited },
      { status: 400, headers, body: limited },
    )
    for (let i = 0; i < 2; i++) {
      await expect(connector.upload([item()])).rejects.toMatchObject({
        kind: 'rate-limited',
        retryAfterMs: 52_000,
      })
    }
    fake.trick(CREATE, { status: 500, body: { code: 1225000, msg: 'system error' } })
    await expect(connector.upload([item()])).rejects.toMatchObject({ kind: 'server' })
    expect(fake.flows).toHaveLength(0)
  })

  it('meets hostile replies with clear errors, and names no secret', async () => {
    const { connector } = await setUp()
    for (const trick of ['html', 'garbage', 'huge'] as const) {
      fake.trick(CREATE, trick)
      const error = await connector.upload([item()]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CrmError)
      expect(error).toMatchObject({ kind: 'malformed' })
    }
    const auth = String(fake.calls.find((c) => c.path === CREATE)?.headers['authorization'])
    const token = auth.slice('Bearer '.length)
    fake.trick(CREATE, { status: 400, body: { code: 1220001, msg: `${token} ${fake.appSecret}` } })
    const [echo] = await connector.upload([item()])
    const reason = echo?.status === 'rejected' ? echo.reason : ''
    expect(reason).toMatch(/1220001/)
    expect(reason).not.toContain(token)
    expect(reason).not.toContain(fake.appSecret)
    const wrong = feishuConnector({
      baseUrl: fake.url,
      appId: fake.appId,
      appSecret: 'wrong-secret-999',
      employeeType: 'employee_id',
      location: 'x',
      deviceId: 'k',
      timeoutMs: 2000,
    })
    const error = await wrong.health().catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'unauthorised', message: expect.stringMatching(/10014/) })
    expect((error as Error).message).not.toContain('wrong-secret-999')
  })

  it('is what crm.kind "feishu" builds from the config, creator id included', async () => {
    await setUp()
    const crm = parseOrThrow(crmSettings, {
      kind: 'feishu',
      url: fake.url,
      feishu: { appId: fake.appId, appSecret: fake.appSecret, creatorId: 'E002' },
    })
    const context = {
      siteId: 'hq',
      timeZone: 'Asia/Shanghai',
      deviceId: 'kiosk-2',
      timeoutMs: 2000,
    }
    const connector = createConnector(crm, { ...context, state: memoryState(), log: silentLogger })
    expect(connector?.maxBatch).toBe(50)
    await connector!.health()
    expect(statuses(await connector!.upload([item()]))).toEqual(['created'])
    expect(fake.flows[0]).toMatchObject({ creator_id: 'E002', location_name: 'hq' })
  })
})
