/**
 * Durable punch latency as the person at the door feels it: a badge scan through the kiosk's
 * gate (badge check, roster lookup, in/out rules, journal append + fsync), on stores that
 * already hold 1k, 100k and 1M punches.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultConfig } from '../electron/core/config/config'
import { openKiosk, storeDir } from '../electron/core/kiosk'
import { silentLogger } from '../electron/core/logger'
import { importRoster } from '../electron/core/roster/import'
import type { BenchRow } from './report'
import { seedPunchStore } from './store'

const scans = 2000
const warmup = 100
const p99GoalMs = 10

/** Median and p99 of badge punches at each store size. */
export async function benchPunch(sizes: readonly [string, number][]): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const [label, count] of sizes) {
    const dataDir = await mkdtemp(join(tmpdir(), `clockface-bench-punch-${label}-`))
    try {
      await seedPunchStore(storeDir(dataDir), count)
      const times = await measureScans(dataDir)
      rows.push(row(`badge punch, durable, median @${label}`, percentile(times, 0.5), null))
      rows.push(row(`badge punch, durable, p99 @${label}`, percentile(times, 0.99), p99GoalMs))
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  return rows
}

async function measureScans(dataDir: string): Promise<number[]> {
  const config = { ...defaultConfig(), timeZone: 'Europe/Berlin' }
  let now = Date.parse('2026-03-02T07:00:00Z')
  const kiosk = await openKiosk({
    loaded: { config, dataDir, path: '(bench)', fromFile: false },
    platform: { now: () => now },
    log: silentLogger,
  })
  try {
    const people = Array.from({ length: 500 }, (_, i) => `emp-${i},Employee ${i},B${1000 + i}`)
    importRoster(kiosk.store, `id,name,badge\n${people.join('\n')}`, now)
    const times: number[] = []
    for (let i = 0; i < warmup + scans; i++) {
      now += 1000 // each person comes back after 500 s: outside the duplicate window
      const started = performance.now()
      const result = await kiosk.gate('attendance:badge', { badge: `B${1000 + (i % 500)}` })
      const elapsed = performance.now() - started
      if (!result.ok) throw new Error(`bench punch failed: ${result.error.message}`)
      if (i >= warmup) times.push(elapsed)
    }
    return times
  } finally {
    await kiosk.close()
  }
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function row(name: string, ms: number, goalMs: number | null): BenchRow {
  return {
    name,
    value: Math.round(ms * 1000) / 1000,
    unit: 'ms',
    goal: goalMs === null ? 'report only' : `≤ ${goalMs} ms`,
    ok: goalMs === null || ms <= goalMs,
  }
}
