import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connector } from '../../../electron/core/connectors/connector'
import { CrmError } from '../../../electron/core/connectors/http'
import { zktecoAdmsConnector } from '../../../electron/core/connectors/zkteco-adms/adms'
import { zktecoAdmsSettings } from '../../../electron/core/connectors/zkteco-adms/settings'
import { contextFor, punchAt } from '../frappe/punches'
import { startFakeAdms, type FakeAdms } from './fake-adms'

const ZONE = 'America/New_York'
let server: FakeAdms
let context: ReturnType<typeof contextFor>

beforeEach(async () => {
  server = await startFakeAdms({
    zone: ZONE,
    terminals: ['lobby-1', 'CFK0001'],
    timeZoneOption: '-5',
  })
  context = contextFor(ZONE)
})
afterEach(() => server.stop())

function connect(keys: Record<string, unknown> = {}, url = server.url): Connector {
  return zktecoAdmsConnector(url, zktecoAdmsSettings.parse(keys), context)
}

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CrmError)
  return error as CrmError
}

const lines = () => server.records.map((r) => [r.pin, r.time, r.status, r.verify])

describe('ZKTeco ADMS connector: the terminal and its lines', () => {
  it('posts one ATTLOG line per punch in local wall time, across both DST changes', async () => {
    const outcomes = await connect().upload([
      punchAt('1001', '2026-03-08T06:30:00Z'), // 01:30 EST, before the spring jump
      punchAt('1001', '2026-03-08T07:30:00Z', 'out', { method: 'badge' }), // 03:30 EDT
      punchAt('1002', '2026-11-01T13:30:00+08:00', 'in', { method: 'pin' }), // 01:30 EDT
      punchAt('1002', '2026-11-01T06:30:05.750Z', 'out'), // 01:30:05 EST, the repeated hour
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'created', 'created'])
    expect(lines()).toEqual([
      ['1001', '2026-03-08 01:30:00', 0, 15],
      ['1001', '2026-03-08 03:30:00', 1, 4],
      ['1002', '2026-11-01 01:30:00', 0, 0],
      ['1002', '2026-11-01 01:30:05', 1, 15],
    ])
    const posts = server.requests.filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.contentType).toBe('text/plain; charset=utf-8')
  })

  it('shakes hands first as its serial number, keeps the options, and stamps each post', async () => {
    const connector = connect({ serialNumber: 'CFK0001' })
    await connector.upload([punchAt('1001', '2026-05-04T13:00:00Z')])
    await connector.upload([punchAt('1001', '2026-05-04T21:00:00Z', 'out')])
    const [shake, first, second] = server.requests
    expect(shake).toMatchObject({ method: 'GET', path: '/iclock/cdata' })
    expect(shake!.query).toBe('?SN=CFK0001&options=all&pushver=2.4.1')
    expect(first!.query).toBe('?SN=CFK0001&table=ATTLOG&Stamp=1')
    expect(second!.query).toBe('?SN=CFK0001&table=ATTLOG&Stamp=2')
    expect(JSON.parse(context.stored.get('options')!)).toMatchObject({
      ATTLOGStamp: 'None',
      Realtime: '1',
      TimeZone: '-5',
    })
    expect(server.records.every((r) => r.sn === 'CFK0001')).toBe(true)
  })

  it('creates nothing twice when a landed batch is sent again after its reply was lost', async () => {
    const connector = connect()
    const batch = [punchAt('1001', '2026-05-04T13:00:00Z'), punchAt('1002', '2026-05-04T13:00:01Z')]
    await connector.health()
    server.faults.push({ drop: true })
    expect((await failure(connector.upload(batch))).kind).toBe('network')
    expect(server.records).toHaveLength(2)
    expect((await connector.upload(batch)).map((o) => o.status)).toEqual(['created', 'created'])
    expect(server.records).toHaveLength(2)
    expect(server.received).toBe(4)
  })

  it('dead-letters what the protocol cannot carry and sends the rest', async () => {
    const voided = punchAt('1002', '2026-05-04T13:00:00Z', 'in', {
      method: 'manual',
      correction: {
        kind: 'voided',
        supersedes: crypto.randomUUID(),
        reason: 'wrong person',
        enteredBy: 'admin',
        enteredAt: '2026-05-04T14:00:00Z',
      },
    })
    const outcomes = await connect().upload([
      punchAt('10\t01', '2026-05-04T13:00:00Z'),
      voided,
      punchAt('1003', '2026-05-04T13:00:00Z'),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'created'])
    expect(outcomes[1]).toMatchObject({
      reason: 'the ADMS protocol cannot void a punch: correct it by hand on the server',
    })
    expect(lines()).toEqual([['1003', '2026-05-04 09:00:00', 0, 15]])
  })
})

describe('ZKTeco ADMS connector: what the server answers', () => {
  it('holds the queue for a terminal the server does not know, by FAIL or by status', async () => {
    const unknown = await failure(connect({ serialNumber: 'NOPE1' }).health())
    expect(unknown.kind).toBe('unauthorised')
    expect(unknown.message).toBe('the ADMS server did not accept terminal NOPE1: "FAIL"')
    await server.stop()
    server = await startFakeAdms({ zone: ZONE, terminals: [], unknownTerminal: 403 })
    const refused = await failure(connect().upload([punchAt('1001', '2026-05-04T13:00:00Z')]))
    expect(refused).toMatchObject({ kind: 'unauthorised', status: 403 })
  })

  it('waits on anything but OK, 5xx, 429 and a missing server; refuses on other 4xx', async () => {
    const connector = connect()
    await connector.health()
    const punch = [punchAt('1001', '2026-05-04T13:00:00Z')]
    server.faults.push({ status: 200, body: 'ERROR: database is locked' })
    server.faults.push({ status: 503, headers: { 'Retry-After': '20' } })
    server.faults.push({ status: 429, headers: { 'Retry-After': '3' } })
    server.faults.push({ status: 404, body: 'Not Found' })
    server.faults.push({ status: 400, body: 'bad record' })
    const errors: CrmError[] = []
    for (let i = 0; i < 5; i++) errors.push(await failure(connector.upload(punch)))
    expect(errors.map((e) => [e.kind, e.retryAfterMs])).toEqual([
      ['server', undefined],
      ['unavailable', 20_000],
      ['rate-limited', 3000],
      ['unavailable', undefined],
      ['rejected-request', undefined],
    ])
    expect(errors[0]!.message).toBe(
      'the ADMS server did not take the punches: "ERROR: database is locked"',
    )
    expect(errors[4]!.message).toBe('the ADMS server answered 400: bad record')
    expect(server.records).toHaveLength(0)
  })

  it('reads hostile replies as clear errors: a web page, a huge body', async () => {
    const connector = connect()
    server.faults.push({ status: 200, type: 'text/html', body: '<html>Wi-Fi login</html>' })
    expect((await failure(connector.health())).message).toBe(
      'expected text from the ADMS server, got a web page',
    )
    server.faults.push({ status: 200, body: 'A'.repeat(11 * 1024 * 1024) })
    expect((await failure(connector.health())).message).toBe(
      'the reply from the ADMS server exceeded 10485760 bytes',
    )
  })

  it('polls for commands as its heartbeat and answers each one honestly', async () => {
    const connector = connect()
    await connector.heartbeat!({ version: '1', queueDepth: 0 })
    server.commands.push('DATA UPDATE USERINFO PIN=7\tName=Eve', 'CHECK', 'REBOOT')
    await connector.heartbeat!({ version: '1', queueDepth: 0 })
    expect(server.commandReplies).toEqual([
      'ID=1&Return=-1002&CMD=DATA',
      'ID=2&Return=0&CMD=CHECK',
      'ID=3&Return=-1002&CMD=REBOOT',
    ])
    expect(server.requests.filter((r) => r.path === '/iclock/getrequest')).toHaveLength(2)
  })

  it('warns when the server keeps another zone than the site', async () => {
    const warnings: string[] = []
    context = contextFor('Asia/Shanghai', {
      log: { info() {}, error() {}, warn: (m) => warnings.push(m) },
    })
    await connect().health()
    expect(warnings).toEqual([
      "the ADMS server runs at UTC-5 but the site's zone Asia/Shanghai is at 8 h: it reads this " +
        "kiosk's wall times in the site's zone only if they agree",
    ])
  })

  it('refuses plain http off this machine unless allowPlainHttp says so', () => {
    expect(() => connect({}, 'http://10.0.0.5:8081')).toThrow(/allowPlainHttp/)
    expect(() => connect({ allowPlainHttp: true }, 'http://10.0.0.5:8081')).not.toThrow()
  })
})
