/**
 * Catching up after an outage: 10,000 punches already queued, drained to the reference CRM on
 * loopback (which runs in its own process, so the memory figures are the kiosk's alone).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultConfig } from '../electron/core/config/config'
import { openKiosk, storeDir } from '../electron/core/kiosk'
import { silentLogger } from '../electron/core/logger'
import { benchPersonId, seedQueue } from './queue-seed'
import { startReferenceCrm } from './reference-crm'
import type { BenchRow } from './report'

const queued = 10_000
const people = 500
const token = 'bench-device-token'

/** Time to drain the queue and the kiosk's peak memory meanwhile. */
export async function benchDrain(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'clockface-bench-drain-'))
  const crm = await startCrm(dir)
  try {
    const dataDir = join(dir, 'kiosk')
    await seedQueue(storeDir(dataDir), { queued, people, zone: 'Europe/Berlin' })
    const base = defaultConfig()
    const config = {
      ...base,
      crm: { ...base.crm, url: crm.url, deviceToken: token, deviceId: 'bench' },
    }
    const baseline = process.memoryUsage()
    let peakRss = baseline.rss
    let peakHeap = baseline.heapUsed
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peakRss = Math.max(peakRss, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
    }, 20)
    const started = performance.now()
    const kiosk = await openKiosk({
      loaded: { config, dataDir, path: '(bench)', fromFile: false },
      log: silentLogger,
    })
    while (kiosk.sync.outbox.depth().pending > 0) await new Promise((r) => setTimeout(r, 10))
    const drainMs = performance.now() - started
    clearInterval(sampler)
    await kiosk.close()
    const mb = (bytes: number) => Math.round(bytes / 1e5) / 10
    return [
      {
        name: `drain ${queued / 1000}k queued punches to the CRM`,
        value: Math.round(drainMs),
        unit: 'ms',
        goal: '< 5000 ms',
        ok: drainMs < 5000,
      },
      {
        name: 'kiosk peak RSS while draining',
        value: mb(peakRss),
        unit: 'MB',
        goal: 'report only',
        ok: true,
      },
      {
        name: 'kiosk peak JS heap while draining',
        value: mb(peakHeap),
        unit: 'MB',
        goal: 'report only',
        ok: true,
      },
    ]
  } finally {
    await crm.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

async function startCrm(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const roster = join(dir, 'roster.csv')
  const rows = Array.from(
    { length: people },
    (_, i) => `${benchPersonId(i)},Bench Person ${benchPersonId(i)},B${i}`,
  )
  await writeFile(roster, `id,name,badge\n${rows.join('\n')}\n`)
  return startReferenceCrm(['--data', join(dir, 'crm'), '--token', token, '--roster', roster])
}
