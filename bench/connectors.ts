/**
 * Catching up after an outage, per HR system: 10,000 punches already queued, drained through
 * each connector to its system on loopback (the fakes run in this process, so their own work
 * is in the figure too). Systems with a batch call are held to 10 s; one-call-per-punch
 * systems are reported.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../electron/core/config/config'
import { openKiosk, storeDir } from '../electron/core/kiosk'
import { silentLogger } from '../electron/core/logger'
import { importRoster } from '../electron/core/roster/import'
import { connectorTargets } from '../test/connectors/targets'
import type { ConnectorTarget, TargetPerson } from '../test/connectors/target'
import { benchPersonId, seedQueue } from './queue-seed'
import type { BenchRow } from './report'

const queued = 10_000
const people = 500
const zone = 'Europe/Berlin'

/** Drain time of 10k queued punches for every connector. */
export async function benchConnectors(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const target of connectorTargets) rows.push(await drainTo(target))
  return rows
}

async function drainTo(target: ConnectorTarget): Promise<BenchRow> {
  const dir = await mkdtemp(join(tmpdir(), `clockface-bench-${target.kind}-`))
  const staff: TargetPerson[] = Array.from({ length: people }, (_, i) => ({
    id: benchPersonId(i),
    name: `Bench Person ${benchPersonId(i)}`,
    badge: `7${benchPersonId(i)}`,
  }))
  const system = await target.start(dir, staff, zone)
  try {
    const dataDir = join(dir, 'kiosk')
    await seedQueue(storeDir(dataDir), { queued, people, zone })
    const config = parseConfig({
      timeZone: zone,
      attendance: { switchWindowSeconds: 0 },
      crm: {
        deviceId: 'bench-kiosk',
        retryBaseMs: 50,
        retryCapSeconds: 2,
        batchSize: 500,
        ...system.crm(system.url),
      },
    })
    const started = performance.now()
    const kiosk = await openKiosk({
      loaded: { config, dataDir, path: '(bench)', fromFile: false },
      log: silentLogger,
      serveControl: false,
    })
    importRoster(
      kiosk.store,
      `id,name,badge\n${staff.map((p) => `${p.id},${p.name},${p.badge}`).join('\n')}`,
      Date.now(),
    )
    const limit = Date.now() + 600_000
    while (kiosk.sync.outbox.depth().pending > 0 && Date.now() < limit) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const ms = performance.now() - started
    const { pending, deadLetters } = kiosk.sync.outbox.depth()
    await kiosk.close()
    const held = (await system.held()).length
    const complete = pending === 0 && deadLetters === 0 && held >= queued
    return {
      name: `drain 10k queued punches to ${target.label}${complete ? '' : ` (INCOMPLETE: ${held} held, ${pending} queued, ${deadLetters} dead)`}`,
      value: Math.round(ms),
      unit: 'ms',
      goal: target.perPunch ? 'report only' : '< 10000 ms',
      ok: complete && (target.perPunch || ms < 10_000),
    }
  } finally {
    await system.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
