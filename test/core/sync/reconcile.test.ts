/**
 * Reconciliation: the kiosk (real sql.js store, real timers) against the reference CRM over
 * real HTTP on 127.0.0.1, behind a front server that can answer receipts as a test scripts.
 */
import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { zonedParts } from '../../../electron/core/attendance/zoned-time'
import { createCrmClient } from '../../../electron/core/sync/crm-client'
import { reconcile } from '../../../electron/core/sync/reconcile'
import { sitePeriod } from '../../../electron/core/sync/period'
import { hashPin } from '../../../electron/core/roster/pin'
import { Roster } from '../../../electron/core/roster/roster'
import type { PunchOutcome } from '../../../electron/shared/types'
import { ada, bob, punch, TOKEN, tempDir } from '../../crm/fixtures'
import { close, forward, listen, readBody, reply } from '../../crm/http-kit'
import { startReferenceCrm, type ReferenceCrm } from '../../crm/reference-server'
import { call, openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'

type Receipts = (req: IncomingMessage, res: ServerResponse) => void
let crm: ReferenceCrm
let crmDir: Awaited<ReturnType<typeof tempDir>>
let front: { url: string; receipts: Receipts | undefined; stop(): Promise<void> }
let t: TestKiosk

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function startFront(): Promise<typeof front> {
  const state = { receipts: undefined as Receipts | undefined }
  const server = createServer(async (req, res) => {
    if (state.receipts && /\/receipts(\?|$)/.test(req.url ?? '')) return state.receipts(req, res)
    try {
      reply(res, await forward(crm.url, req, await readBody(req)))
    } catch {
      res.socket?.destroy()
    }
  })
  const { url } = await listen(server)
  return Object.assign(state, { url, stop: () => close(server) })
}

/** The CRM restored from a backup that lacks these punches (its ledger without their lines). */
async function crmLoses(ids: string[]): Promise<void> {
  const { port } = crm
  await crm.stop()
  const ledger = join(crmDir.dir, 'crm-ledger.jsonl')
  const lines = (await readFile(ledger, 'utf8')).split('\n')
  const kept = lines.filter((line) => !ids.some((id) => line.includes(id)))
  expect(lines.length - kept.length).toBe(ids.length)
  await writeFile(ledger, kept.join('\n'))
  crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN], port, receiptsPageSize: 2 })
}

async function badge(b: string): Promise<string> {
  t.clock.advance(5 * 60_000)
  return ((await call(t.kiosk, 'recordBadgePunch', { badge: b })) as PunchOutcome).punch.id
}

const today = () => zonedParts(t.clock.now, 'Asia/Shanghai').date
const period = () => ({ from: '2026-01-01', to: today() })
const admin = () => call(t.kiosk, 'unlockAdmin', { pin: '2468' })
const rows = (table: string) => t.kiosk.store.all(`SELECT * FROM ${table}`)
const queued = () => t.kiosk.store.all<{ punch_id: string }>(`SELECT punch_id FROM outbox`)

/** A kiosk whose punches (three, from two people) the CRM has all taken. */
async function uploadedKiosk(): Promise<string[]> {
  t = await openTestKiosk(
    {
      crm: {
        url: front.url,
        deviceToken: TOKEN,
        deviceId: 'lobby-1',
        retryBaseMs: 20,
        retryCapSeconds: 1,
      },
      attendance: { switchWindowSeconds: 0 },
      adminPinHash: hashPin('2468'),
    },
    Date.now(),
  )
  t.clock.now = Date.now() - 60 * 60_000
  await until(() => new Roster(t.kiosk.store).byBadge('10002') !== undefined, 'the roster')
  const ids = [await badge('10001'), await badge('10002'), await badge('10001')]
  await until(() => crm.punches().length === 3 && queued().length === 0, 'the uploads')
  return ids
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('it succeeded'),
    (e: unknown) => e as Error,
  )
  return error.message
}

beforeEach(async () => {
  crmDir = await tempDir()
  crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN], receiptsPageSize: 2 })
  for (const e of [ada, bob]) await crm.upsertEmployee(e)
  front = await startFront()
})
afterEach(async () => {
  await t?.cleanup()
  await front.stop()
  await crm.stop()
  await crmDir.cleanup()
})

describe('reconciliation with the CRM', () => {
  it('requeues a punch the CRM lost and uploads it again; the run is recorded and audited', async () => {
    const [first, lost, third] = await uploadedKiosk()
    await crmLoses([lost!])
    expect(crm.punches().map((p) => p.punch.id)).toEqual([first, third])
    await admin()
    const result = await call(t.kiosk, 'reconcile', period())
    expect(result).toMatchObject({ localCount: 3, remoteCount: 2, requeued: 1, unknownIds: 0 })
    await until(() => crm.punches().some((p) => p.punch.id === lost), 'the lost punch uploaded')
    expect(t.kiosk.sync.status().reconciliation).toEqual({
      ranAt: new Date(t.clock.now).toISOString(),
      from: '2025-12-31T16:00:00.000Z',
      to: result.to,
      localCount: 3,
      remoteCount: 2,
      requeued: 1,
      unknownIds: 0,
    })
    const audit = t.kiosk.store.all<{ actor: string; detail: string }>(
      `SELECT actor, detail FROM audit WHERE action = 'sync.reconcile'`,
    )
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ requeued: 1, requeuedIds: [lost] })
    expect(rows('reconciliations')).toMatchObject([{ requeued: 1, actor: 'break-glass' }])

    const again = await call(t.kiosk, 'reconcile', period())
    expect(again).toMatchObject({ localCount: 3, remoteCount: 3, requeued: 0 })
    expect(crm.punches()).toHaveLength(3)
  })

  it('reports ids the CRM holds from this device that the kiosk never made, and keeps them', async () => {
    await uploadedKiosk()
    const strangers = [punch(), punch({ employeeId: bob.id })]
    const upload = await fetch(`${crm.url}/v1/punches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'lobby-1', punches: strangers }),
    })
    expect(upload.status).toBe(200)
    await admin()
    const result = await call(t.kiosk, 'reconcile', period())
    expect(result).toMatchObject({ localCount: 3, remoteCount: 5, requeued: 0, unknownIds: 2 })
    expect(result.unknownIdList.sort()).toEqual(strangers.map((p) => p.id).sort())
    expect(t.kiosk.sync.status().reconciliation?.unknownIds).toBe(2)
    const [row] = t.kiosk.store.all<{ unknown_ids: string }>(`SELECT * FROM reconciliations`)
    expect(JSON.parse(row!.unknown_ids)).toEqual({ count: 2, ids: result.unknownIdList })
    expect(queued()).toEqual([])
  })

  it('requeues neither a dead-lettered punch nor one an admin discarded', async () => {
    await uploadedKiosk()
    t.importCsv('id,name,badge\nL001,Local Only,40001\nL002,Also Local,40002')
    const dead = await badge('40001')
    const discarded = await badge('40002')
    await until(() => t.kiosk.sync.outbox.depth().deadLetters === 2, 'two dead letters')
    await admin()
    await call(t.kiosk, 'discardDeadLetter', { punchId: discarded, reason: 'test badge' })
    const result = await call(t.kiosk, 'reconcile', period())
    expect(result).toMatchObject({ localCount: 5, remoteCount: 3, requeued: 0 })
    expect(queued()).toEqual([])
    expect(t.kiosk.sync.outbox.deadLetters().map((d) => d.punchId)).toEqual([dead])
  })

  it.each<[string, Receipts, RegExp]>([
    ['bad JSON', json(200, '{"receipts": [', true), /invalid JSON/],
    [
      'more than 1000 receipts',
      json(200, {
        receipts: Array.from({ length: 1001 }, () => receipt()),
        hasMore: false,
      }),
      /receipts must be a list of at most 1000/,
    ],
    [
      'an id that is a number',
      json(200, { receipts: [{ id: 7, receivedAt: now() }], hasMore: false }),
      /receipts\[0\]\.id/,
    ],
    [
      'a receivedAt that is no date',
      json(200, { receipts: [{ id: randomUUID(), receivedAt: 'noon' }], hasMore: false }),
      /receivedAt must be an RFC 3339/,
    ],
    ['hasMore as text', json(200, { receipts: [], hasMore: 'no' }), /hasMore must be a boolean/],
    ['more without a cursor', json(200, { receipts: [], hasMore: true }), /cursor/],
    ['a cursor that comes round again', cycling(['a', 'b']), /repeated a receipts cursor/],
    ['an HTML error page', html(502), /CRM answered 502/],
    ['a 401', json(401, { error: 'unauthorised' }), /CRM answered 401/],
    ['a 503', json(503, { error: 'down' }), /CRM answered 503/],
  ])('fails clearly on %s and changes nothing', async (_label, answer, message) => {
    const [, lost] = await uploadedKiosk()
    await crmLoses([lost!])
    await admin()
    front.receipts = answer
    const said = await failure(call(t.kiosk, 'reconcile', period()))
    expect(said).toMatch(/^RECONCILE_FAILED: Reconciliation failed, nothing changed: /)
    expect(said).toMatch(message)
    expect(queued()).toEqual([])
    expect(rows('reconciliations')).toEqual([])
    expect(t.kiosk.store.all(`SELECT * FROM audit WHERE action = 'sync.reconcile'`)).toEqual([])
    expect(t.kiosk.sync.status().reconciliation).toBeNull()
  })

  it('stops a CRM whose receipts never end, requeueing nothing', async () => {
    const [, lost] = await uploadedKiosk()
    await crmLoses([lost!])
    let pages = 0
    front.receipts = (_req, res) => {
      pages++
      json(200, { receipts: [receipt()], cursor: randomUUID(), hasMore: true })(_req, res)
    }
    const client = createCrmClient({ baseUrl: front.url, deviceToken: TOKEN, deviceId: 'lobby-1' })
    const days = sitePeriod('2026-01-01', today(), 'Asia/Shanghai')
    const run = { ...days, now: t.clock.now, actor: 'test' }
    expect(await failure(reconcile(t.kiosk.store, client, run, 40))).toMatch(
      /receipts did not end after 40 pages/,
    )
    expect(pages).toBe(40)
    expect(queued()).toEqual([])
    expect(rows('reconciliations')).toEqual([])
  })

  it('is for admin mode only, takes real site days, and needs a CRM', async () => {
    await uploadedKiosk()
    expect(await failure(call(t.kiosk, 'reconcile', period()))).toMatch(/^ADMIN_REQUIRED/)
    await admin()
    for (const days of [
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-03-02', to: '2026-03-01' },
      { from: '2026-3-1', to: '2026-03-01' },
    ]) {
      expect(await failure(call(t.kiosk, 'reconcile', days))).toMatch(/^INVALID_PAYLOAD/)
    }
    const offline = await openTestKiosk({ adminPinHash: hashPin('2468') })
    try {
      await call(offline.kiosk, 'unlockAdmin', { pin: '2468' })
      const said = await failure(call(offline.kiosk, 'reconcile', period()))
      expect(said).toMatch(/^RECONCILE_FAILED: No CRM is configured/)
    } finally {
      await offline.cleanup()
    }
  })

  it('asks the CRM for site days, midnight to midnight with the site offset', () => {
    expect(sitePeriod('2026-03-01', '2026-03-07', 'Asia/Shanghai')).toMatchObject({
      fromText: '2026-03-01T00:00:00+08:00',
      toText: '2026-03-08T00:00:00+08:00',
    })
    const berlin = sitePeriod('2026-03-29', '2026-03-29', 'Europe/Berlin')
    expect(berlin).toMatchObject({
      fromText: '2026-03-29T00:00:00+01:00',
      toText: '2026-03-30T00:00:00+02:00',
    })
    expect(berlin.to - berlin.from).toBe(23 * 3600_000)
  })
})

function now(): string {
  return new Date().toISOString()
}

function receipt(): { id: string; receivedAt: string } {
  return { id: randomUUID(), receivedAt: now() }
}

function json(status: number, body: unknown, raw = false): Receipts {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(raw ? String(body) : JSON.stringify(body))
  }
}

function html(status: number): Receipts {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' })
    res.end('<html><body>Bad Gateway</body></html>')
  }
}

/** Pages that never stop, their cursors going round `cursors`. */
function cycling(cursors: string[]): Receipts {
  let i = 0
  return (req, res) =>
    json(200, { receipts: [receipt()], cursor: cursors[i++ % cursors.length], hasMore: true })(
      req,
      res,
    )
}
