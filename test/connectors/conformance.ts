/**
 * The checks every connector passes against its system (a fake built from the system's
 * published contract, or the real server), through the real kiosk: store, outbox, uploader.
 *
 * - offline punches arrive once, with their original instants, on both sides of a DST change
 *   of the site zone;
 * - a batch sent again after its answer was lost counts as done and nothing is held twice;
 * - a person the system refuses ends as a dead letter in the system's own words, and the
 *   punches around it still arrive;
 * - through a proxy breaking requests every way it knows, with the kiosk process killed
 *   (SIGKILL) mid-upload and restarted, every punch arrives exactly once.
 *
 * Use: `describeConformance(target)` in test/connectors/<kind>/conformance.test.ts.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../electron/core/config/config'
import { openKiosk, type Kiosk } from '../../electron/core/kiosk'
import { silentLogger } from '../../electron/core/logger'
import { importRoster } from '../../electron/core/roster/import'
import { zonedParts, zonedToInstant } from '../../electron/core/attendance/zoned-time'
import type { PunchOutcome } from '../../electron/shared/types'
import { FAULT_KINDS, startFaultProxy, type FaultProxy } from '../crm/fault-proxy'
import type { ConnectorTarget, HeldPunch, TargetPerson, TargetSystem } from './target'

const root = resolve(import.meta.dirname, '../..')
const DAY = 86_400_000

export interface ConformanceOptions {
  /** Punches in the fault run (default 120). */
  punches?: number
  /** Kiosk processes killed during it (default 3). */
  kills?: number
  /** Share of requests each fault kind breaks (default 0.04: about 40% of all requests). */
  faultShare?: number
}

/** Registers the shared checks for one system. */
export function describeConformance(target: ConnectorTarget, options: ConformanceOptions = {}) {
  const zone = dstZone(Date.now())
  const people = (from: number, n: number): TargetPerson[] =>
    Array.from({ length: n }, (_, i) => ({
      id: String(from + i),
      name: `Conformance Person ${from + i}`,
      badge: `5${from + i}`,
    }))
  const groups = {
    dst: people(1001, 2),
    replay: people(1101, 2),
    refused: people(1201, 3),
    faults: people(1301, 6),
  }
  let dir: string
  let system: TargetSystem
  let proxy: FaultProxy
  const config = () => rawConfig(system.crm(proxy.url), zone.zone)

  describe(`${target.label}: the shared connector checks (site zone ${zone.zone})`, () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `clockface-conformance-${target.kind}-`))
      system = await target.start(dir, Object.values(groups).flat(), zone.zone)
      proxy = await startFaultProxy({ target: system.url, faults: {}, seed: 2026, slowMs: 300 })
    }, 1_200_000)

    afterAll(async () => {
      await proxy?.stop()
      await system?.stop()
      if (dir) await rm(dir, { recursive: true, force: true })
    }, 120_000)

    it('delivers punches made offline once, with their own times either side of a DST change', async () => {
      const clock = { now: zone.change - 3 * DAY }
      const kiosk = await openConformanceKiosk(join(dir, 'dst'), groups.dst, clock, config())
      try {
        await staffListArrives(kiosk)
        proxy.setFaults({ resetBeforeCommit: 1 })
        // The day before the change and the day after it, 08:00 and 17:00 local: the offset
        // differs by an hour, so a system fed wall times in the wrong offset is caught.
        for (const day of [zone.dayBefore, zone.dayAfter]) {
          for (const time of ['08:00', '17:00']) {
            for (const person of groups.dst) {
              clock.now = zonedToInstant(day, time, zone.zone) + Number(person.id.slice(-1)) * 1000
              await punch(kiosk, person)
            }
          }
        }
        await wait(300)
        expect(await heldFor(system, groups.dst)).toEqual([])
        proxy.setFaults({})
        kiosk.sync.networkHint()
        await drained(kiosk)
        expect(kiosk.sync.outbox.depth()).toMatchObject({ pending: 0, deadLetters: 0 })
        expectSame(await heldFor(system, groups.dst), localPunches(kiosk, groups.dst))
        const offsets = new Set(
          localPunches(kiosk, groups.dst).map((p) => zonedParts(p.at, zone.zone).offsetMinutes),
        )
        expect(offsets.size).toBe(2)
      } finally {
        await kiosk.close()
      }
    }, 180_000)

    it('counts a batch sent again after its answer was lost as done, holding nothing twice', async () => {
      const clock = { now: Date.now() - 4 * DAY }
      const kiosk = await openConformanceKiosk(join(dir, 'replay'), groups.replay, clock, config())
      try {
        await staffListArrives(kiosk)
        for (const time of ['08:30', '12:00', '13:00', '18:00']) {
          for (const person of groups.replay) {
            clock.now = zonedToInstant(isoDay(clock.now, zone.zone), time, zone.zone)
            await punch(kiosk, person)
          }
        }
        await drained(kiosk)
        const once = await heldFor(system, groups.replay)
        expectSame(once, localPunches(kiosk, groups.replay))
        // As if every answer had been lost: the whole day goes out again.
        kiosk.store.commit([
          [`INSERT INTO outbox (punch_id, enqueued_at) SELECT id, occurred_at FROM punches`, []],
        ])
        kiosk.sync.networkHint()
        await drained(kiosk)
        expect(kiosk.sync.outbox.depth()).toMatchObject({ pending: 0, deadLetters: 0 })
        expect(await heldFor(system, groups.replay)).toEqual(once)
      } finally {
        await kiosk.close()
      }
    }, 180_000)

    it.skipIf(!target.refusals)(
      "dead-letters a refused person's punch in the system's own words, and delivers the rest",
      async () => {
        const [kept, refused, after] = groups.refused as [TargetPerson, TargetPerson, TargetPerson]
        const clock = { now: Date.now() - 5 * DAY }
        const kiosk = await openConformanceKiosk(
          join(dir, 'refused'),
          groups.refused,
          clock,
          config(),
        )
        try {
          await staffListArrives(kiosk)
          await system.refuse!(refused.id)
          for (const person of [kept, refused, after]) {
            clock.now = zonedToInstant(isoDay(clock.now, zone.zone), '09:00', zone.zone)
            clock.now += Number(person.id.slice(-1)) * 60_000
            await punch(kiosk, person)
          }
          kiosk.sync.networkHint()
          await drained(kiosk)
          const dead = kiosk.sync.outbox.deadLetters()
          expect(dead.map((d) => d.employeeId)).toEqual([refused.id])
          expect(dead[0]!.reason).toMatch(system.refusedReason!)
          expectSame(await heldFor(system, groups.refused), localPunches(kiosk, [kept, after]))
        } finally {
          await kiosk.close()
        }
      },
      180_000,
    )

    it('delivers every punch exactly once through network faults and kill -9 of the kiosk', async () => {
      const total = options.punches ?? 120
      const kills = options.kills ?? 3
      const share = options.faultShare ?? 0.04
      const dataDir = join(dir, 'faults')
      const configPath = join(dir, 'faults.json')
      const raw = config()
      await writeFile(configPath, JSON.stringify(raw))
      const env = { ...process.env, CLOCKFACE_CONFIG: configPath, CLOCKFACE_DATA_DIR: dataDir }
      // Seed the roster (and, where the system has one, its first sync) before the faults start.
      const clock = { now: Date.now() }
      const first = await openConformanceKiosk(dataDir, groups.faults, clock, raw)
      await staffListArrives(first)
      await first.close()
      proxy.setFaults(Object.fromEntries(FAULT_KINDS.map((kind) => [kind, share])))
      const t0 = zonedToInstant(isoDay(Date.now() - 6 * DAY, zone.zone), '06:00', zone.zone)
      const ids = groups.faults.map((p) => p.id).join(',')
      let killed = 0
      for (let round = 0; round <= kills; round++) {
        // Killed after a few of its own punches, while it records and uploads: never too late.
        const killAfterAcks = round < kills ? 1 + Math.floor(Math.random() * 10) : null
        const run = await runKiosk(env, [total, t0, 61_000, ids], killAfterAcks)
        if (run.killed) killed++
        else expect(run.drained).toBe(true)
      }
      expect(killed).toBe(kills)
      proxy.setFaults({})
      const kiosk = await openConformanceKiosk(dataDir, groups.faults, clock, raw)
      try {
        expect(kiosk.sync.outbox.depth()).toMatchObject({ pending: 0, deadLetters: 0 })
        const local = localPunches(kiosk, groups.faults)
        expect(local.length).toBeGreaterThanOrEqual(total)
        expectSame(await heldFor(system, groups.faults), local)
      } finally {
        await kiosk.close()
      }
      const counts = proxy.counts()
      const broken = FAULT_KINDS.filter((k) => k !== 'slow').reduce((n, k) => n + counts[k], 0)
      expect(broken).toBeGreaterThan(0)
    }, 600_000)
  })
}

/** A kiosk config for the system at `crm`: quick timeouts and retries, no switch window. */
function rawConfig(crm: Record<string, unknown>, zone: string) {
  return {
    site: { id: 'conformance', name: 'Conformance' },
    timeZone: zone,
    attendance: { duplicateWindowSeconds: 0, switchWindowSeconds: 0 },
    crm: {
      deviceId: 'conformance-kiosk',
      timeoutSeconds: 3,
      retryBaseMs: 50,
      retryCapSeconds: 1,
      ...crm,
    },
  }
}

/** A real kiosk on `dataDir` with the clock given, its roster the people given. */
async function openConformanceKiosk(
  dataDir: string,
  staff: readonly TargetPerson[],
  clock: { now: number },
  raw: ReturnType<typeof rawConfig>,
): Promise<Kiosk> {
  const kiosk = await openKiosk({
    loaded: { config: parseConfig(raw), dataDir, path: '(conformance)', fromFile: false },
    platform: { now: () => clock.now },
    log: silentLogger,
  })
  const rows = staff.map((p) => `${p.id},${p.name},${p.badge}`)
  importRoster(kiosk.store, `id,name,badge\n${rows.join('\n')}`, clock.now)
  return kiosk
}

async function punch(kiosk: Kiosk, person: TargetPerson): Promise<void> {
  const result = await kiosk.gate('attendance:badge', { badge: person.badge })
  if (!result.ok) throw new Error(`punch of ${person.id} failed: ${result.error.message}`)
  expect((result.value as PunchOutcome).status).toBe('recorded')
}

/** Waits until a system with a roster has delivered its first staff list. */
async function staffListArrives(kiosk: Kiosk): Promise<void> {
  const until = Date.now() + 60_000
  while (!kiosk.sync.staffListLoaded()) {
    if (Date.now() > until) throw new Error('the staff list never arrived')
    await wait(50)
  }
}

async function drained(kiosk: Kiosk, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (kiosk.sync.outbox.depth().pending > 0) {
    if (Date.now() > until) {
      throw new Error(`${kiosk.sync.outbox.depth().pending} punches still queued`)
    }
    await wait(50)
  }
}

function localPunches(kiosk: Kiosk, staff: readonly TargetPerson[]): HeldPunch[] {
  const ids = staff.map((p) => p.id)
  return kiosk.store
    .all<{ employee_id: string; occurred_at: number; type: 'in' | 'out' }>(
      `SELECT employee_id, occurred_at, type FROM punches
       WHERE employee_id IN (${ids.map(() => '?').join(', ')}) ORDER BY occurred_at`,
      ids,
    )
    .map((p) => ({
      employeeId: p.employee_id,
      at: Math.floor(p.occurred_at / 1000) * 1000,
      type: p.type,
    }))
}

async function heldFor(system: TargetSystem, staff: readonly TargetPerson[]): Promise<HeldPunch[]> {
  const ids = new Set(staff.map((p) => p.id))
  return (await system.held()).filter((p) => ids.has(p.employeeId))
}

/** The same punches, each once: compared as sorted lists (direction only where the system keeps it). */
function expectSame(held: HeldPunch[], local: HeldPunch[]): void {
  const key = (p: HeldPunch, typed: boolean) =>
    `${p.employeeId} ${new Date(p.at).toISOString()} ${typed ? p.type : '-'}`
  const typed = held.every((p) => p.type !== undefined)
  expect(held.map((p) => key(p, typed)).sort()).toEqual(local.map((p) => key(p, typed)).sort())
}

function runKiosk(env: NodeJS.ProcessEnv, args: (string | number)[], killAfterAcks: number | null) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/connector-kiosk.ts', ...args.map(String)],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let acks = 0
  let stderr = ''
  let drainedOut = false
  child.stderr.on('data', (chunk) => (stderr += chunk))
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word] = line.split(' ')
    if (word === 'ack' && ++acks === killAfterAcks) child.kill('SIGKILL')
    if (word === 'drained') drainedOut = true
  })
  return new Promise<{ drained: boolean; killed: boolean }>((done, fail) =>
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        fail(new Error(`kiosk exited with ${code}: ${stderr}`))
      else done({ drained: drainedOut, killed: signal === 'SIGKILL' })
    }),
  )
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function isoDay(instant: number, zone: string): string {
  return zonedParts(instant, zone).date
}

/**
 * The site zone for the checks: of a few zones whose DST changes fall in different months, the
 * one that changed most recently (at least three days ago), so the punches either side of the
 * change are recent enough for every system (DingTalk takes 180 days).
 */
export function dstZone(now: number): {
  zone: string
  change: number
  dayBefore: string
  dayAfter: string
} {
  let best: { zone: string; change: number } | undefined
  for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney']) {
    for (let t = now - 3 * DAY; t > now - 400 * DAY; t -= 3_600_000) {
      if (zonedParts(t, zone).offsetMinutes !== zonedParts(t - 3_600_000, zone).offsetMinutes) {
        if (!best || t > best.change) best = { zone, change: t }
        break
      }
    }
  }
  if (!best) throw new Error('no DST change found in a year')
  return {
    ...best,
    dayBefore: isoDay(best.change - DAY, best.zone),
    dayAfter: isoDay(best.change + DAY, best.zone),
  }
}
