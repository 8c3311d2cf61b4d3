/**
 * A roster sync that fails is retried like an upload, and the status says when the kiosk has no
 * staff list yet or an old one. The reference CRM over real HTTP on 127.0.0.1, behind a small
 * front server that answers roster requests as each test scripts (an HTML 502 page, a 503 with
 * Retry-After, a 401); the kiosk's timers run on a manual clock.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Config } from '../../../electron/core/config/config'
import { openKiosk, type Kiosk } from '../../../electron/core/kiosk'
import type { Logger } from '../../../electron/core/logger'
import type { PunchOutcome, SyncStatus } from '../../../electron/shared/types'
import { ada, bob, TOKEN, tempDir } from '../../crm/fixtures'
import { close, forward, listen, readBody, reply } from '../../crm/http-kit'
import { startReferenceCrm, type ReferenceCrm } from '../../crm/reference-server'
import { testConfig } from '../../fixtures/kiosk'
import { ManualScheduler } from '../../fixtures/manual-scheduler'

type Fate = 'pass' | 'html502' | 'refused' | { retryAfter: string }

interface Front {
  url: string
  /** Manual-clock time of each roster request, in arrival order. */
  rosterAt: number[]
  /** How the next roster requests are answered; `otherwise` after the script runs out. */
  script: Fate[]
  otherwise: Fate
  stop(): Promise<void>
}

async function startFront(target: string, clock: ManualScheduler): Promise<Front> {
  const front: Omit<Front, 'url' | 'stop'> = { rosterAt: [], script: [], otherwise: 'pass' }
  const pass = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      reply(res, await forward(target, req, await readBody(req)))
    } catch {
      res.socket?.destroy()
    }
  }
  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/v1/roster')) return void pass(req, res)
    front.rosterAt.push(clock.now())
    const fate = front.script.shift() ?? front.otherwise
    if (fate === 'pass') return void pass(req, res)
    if (fate === 'refused') {
      res.writeHead(401, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ error: 'unauthorized', message: 'unknown device' }))
    }
    const status = fate === 'html502' ? 502 : 503
    res.writeHead(status, {
      'content-type': 'text/html',
      ...(typeof fate === 'object' ? { 'retry-after': fate.retryAfter } : {}),
    })
    res.end(`<html><body><h1>${status} Bad Gateway</h1><p>nginx</p></body></html>`)
  })
  const { url } = await listen(server)
  return Object.assign(front, { url, stop: () => close(server) })
}

let crm: ReferenceCrm
let crmDir: Awaited<ReturnType<typeof tempDir>>
let front: Front
let clock: ManualScheduler
let dataDir: string
let kiosk: Kiosk | undefined
/** Log lines about the roster: one per attempt the kiosk has finished dealing with. */
let rosterLines: string[]

const log: Logger = {
  info: (m) => void (m.startsWith('roster') && rosterLines.push(m)),
  warn: (m) => void (m.startsWith('roster') && rosterLines.push(m)),
  error: () => {},
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Waits until the kiosk has made its `n`th roster request and dealt with the answer. */
async function rosterTries(n: number): Promise<void> {
  await until(
    () => front.rosterAt.length >= n && rosterLines.length >= n,
    `roster request ${n} (made ${front.rosterAt.length}, settled ${rosterLines.length})`,
  )
  expect(front.rosterAt).toHaveLength(n)
}

async function open(crmOverrides: Partial<Config['crm']> = {}): Promise<Kiosk> {
  const config = testConfig({
    timeZone: 'Asia/Shanghai',
    site: { id: 'hq', name: 'HQ' },
    attendance: { switchWindowSeconds: 0 },
    crm: {
      url: front.url,
      deviceToken: TOKEN,
      deviceId: 'lobby-1',
      retryBaseMs: 1000,
      retryCapSeconds: 300,
      rosterSyncMinutes: 5,
      heartbeatMinutes: 1440,
      ...crmOverrides,
    },
  })
  kiosk = await openKiosk({
    loaded: { config, dataDir, path: '(test)', fromFile: false },
    platform: { now: () => clock.now() },
    scheduler: clock,
    log,
  })
  // The first roster sync and heartbeat are due at once.
  await clock.advance(0)
  return kiosk
}

async function badge(b: string) {
  return kiosk!.gate('attendance:badge', { badge: b })
}

const roster = (): SyncStatus['roster'] => kiosk!.sync.status().roster

beforeEach(async () => {
  rosterLines = []
  clock = new ManualScheduler(Date.now())
  crmDir = await tempDir()
  dataDir = await mkdtemp(join(tmpdir(), 'clockface-roster-'))
  crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN] })
  for (const e of [ada, bob]) await crm.upsertEmployee(e)
  front = await startFront(crm.url, clock)
})
afterEach(async () => {
  await kiosk?.close()
  kiosk = undefined
  await front.stop()
  await crm.stop()
  await crmDir.cleanup()
  await rm(dataDir, { recursive: true, force: true })
})

describe('roster sync after a failure', () => {
  it('retries an HTML error page within a second; the badge works as soon as it succeeds', async () => {
    front.script = ['html502']
    const k = await open()
    await rosterTries(1)
    // Not "unknown": the kiosk says it has no staff list yet.
    expect(await badge('10001')).toMatchObject({ ok: false, error: { code: 'ROSTER_NOT_LOADED' } })

    await clock.advance(1000)
    await rosterTries(2)

    expect(front.rosterAt[1]! - front.rosterAt[0]!).toBeLessThanOrEqual(1000)
    const punched = await badge('10001')
    expect(punched.ok && (punched.value as PunchOutcome).punch.employeeName).toBe('Ada Lovelace')
    expect(k.sync.status().roster).toMatchObject({ state: 'fresh', failures: 0 })
  })

  it('calls a badge unknown once a staff list has arrived, even when later syncs fail', async () => {
    front.otherwise = 'pass'
    await open()
    await rosterTries(1)
    front.otherwise = 'html502'
    await clock.advance(clock.pending()[0]!)
    await rosterTries(2)
    expect(await badge('99999')).toMatchObject({ ok: false, error: { code: 'BADGE_UNKNOWN' } })
  })

  it('backs off with full jitter, capped, while the CRM keeps failing', async () => {
    front.otherwise = 'html502'
    await open({ retryCapSeconds: 20 })
    await rosterTries(1)
    for (let n = 2; n <= 10; n++) {
      await clock.advance(clock.pending()[0]!)
      await rosterTries(n)
    }
    const waits = front.rosterAt.slice(1).map((at, i) => at - front.rosterAt[i]!)
    waits.forEach((wait, i) => expect(wait).toBeLessThan(Math.min(20_000, 1000 * 2 ** i)))
    expect(new Set(waits).size).toBeGreaterThan(1)
    expect(roster()).toMatchObject({ state: 'never', failures: 10, lastSyncAt: null })
  })

  it("waits as long as the CRM's Retry-After says, then loads", async () => {
    front.script = [{ retryAfter: '7' }]
    await open()
    await rosterTries(1)
    expect(clock.pending()[0]).toBe(7000)

    await clock.advance(6999)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(front.rosterAt).toHaveLength(1)
    await clock.advance(1)
    await rosterTries(2)
    expect(roster().state).toBe('fresh')
  })

  it('tries again at once on a network hint instead of waiting out the backoff', async () => {
    front.script = ['html502']
    const k = await open({ retryBaseMs: 60_000 })
    await rosterTries(1)

    k.sync.networkHint()
    await rosterTries(2)

    expect(front.rosterAt[1]).toBe(front.rosterAt[0])
    expect(roster().state).toBe('fresh')
  })

  it('treats a 401 on the roster like one on upload: device not authorised, checked slowly', async () => {
    front.script = ['refused']
    const k = await open()
    await rosterTries(1)
    expect(k.sync.status()).toMatchObject({ mode: 'unauthorised', roster: { state: 'never' } })
    expect(clock.pending()[0]).toBe(300_000)

    await clock.advance(300_000)
    await rosterTries(2)
    expect(k.sync.status()).toMatchObject({ mode: 'online', roster: { state: 'fresh' } })
  })
})

describe('roster state in the status', () => {
  it('says "never" until the first list arrives, then fresh, failing, and stale past 3 intervals', async () => {
    front.script = ['html502']
    const k = await open({ retryCapSeconds: 60 })
    await rosterTries(1)
    expect(k.sync.status()).toMatchObject({
      mode: 'online',
      pending: 0,
      roster: { state: 'never', lastSyncAt: null, failures: 1 },
    })

    await clock.advance(1000)
    await rosterTries(2)
    const loadedAt = new Date(front.rosterAt[1]!).toISOString()
    expect(roster()).toEqual({ state: 'fresh', lastSyncAt: loadedAt, failures: 0 })

    front.otherwise = 'html502'
    // Exactly to the next roster sync: advancing further would also run the retry it schedules.
    expect(clock.pending()[0]).toBeLessThanOrEqual(5 * 60_000)
    await clock.advance(clock.pending()[0]!)
    await rosterTries(3)
    expect(roster()).toEqual({ state: 'failing', lastSyncAt: loadedAt, failures: 1 })

    let n = 3
    while (clock.now() - front.rosterAt[1]! <= 15 * 60_000) {
      await clock.advance(clock.pending()[0]!)
      await rosterTries(++n)
    }
    expect(roster()).toMatchObject({ state: 'stale', lastSyncAt: loadedAt })
  })

  it('remembers the last good sync across a restart', async () => {
    await open()
    await rosterTries(1)
    const loadedAt = roster().lastSyncAt
    expect(loadedAt).not.toBeNull()
    await kiosk!.close()
    front.otherwise = 'html502'
    rosterLines = []
    front.rosterAt = []

    await open()
    await rosterTries(1)
    expect(roster()).toMatchObject({ state: 'failing', lastSyncAt: loadedAt, failures: 1 })
  })

  it('a kiosk without a CRM has a local roster and no roster warning', async () => {
    await open({ url: undefined, deviceToken: undefined })
    expect(kiosk!.sync.status()).toMatchObject({
      mode: 'offline-only',
      roster: { state: 'local', lastSyncAt: null, failures: 0 },
    })
  })
})
