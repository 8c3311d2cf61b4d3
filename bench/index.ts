/**
 * `npm run bench`: every figure beside its goal. Results also go to bench/results/latest.json.
 * Speed is measured here, never asserted in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpus } from 'node:os'
import { benchAttendance } from './attendance'
import { benchConnectors } from './connectors'
import { benchDrain } from './drain'
import { benchFaceModels } from './face-models'
import { benchIdentify } from './identify'
import { benchLiveness } from './liveness'
import { benchLock } from './lock'
import { benchMatching } from './matching'
import { benchPunch } from './punch'
import { benchReconcile } from './reconcile'
import type { BenchRow } from './report'
import { benchStore } from './store'

const sizes: [string, number][] = [
  ['1k', 1_000],
  ['100k', 100_000],
  ['1M', 1_000_000],
]

async function main(): Promise<void> {
  process.stdout.write(`Clockface benchmarks — ${cpus().length} cores, Node ${process.version}\n\n`)
  const rows: BenchRow[] = []
  // The drain runs first: it reports the kiosk's memory from this process, which must not yet
  // hold what the million-punch stores below leave behind.
  for (const [section, run] of [
    ['upload to the CRM', () => benchDrain()],
    ['upload to each HR system (connectors)', () => benchConnectors()],
    ['data-folder lock', () => benchLock()],
    ['punch store', () => benchStore()],
    ["the admin's day", () => benchAttendance()],
    ['reconciliation with the CRM', () => benchReconcile()],
    ['badge punch through the kiosk', () => benchPunch(sizes)],
    ['face matching (1:N)', () => benchMatching()],
    ['face identification in Chromium', () => benchIdentify()],
    ['face models: face-api beside FaceRes (Node, wasm)', () => benchFaceModels()],
    ['liveness at the walk-up', () => benchLiveness()],
  ] as const) {
    process.stdout.write(`${section}…\n`)
    const result = await run()
    rows.push(...result)
    print(result)
  }
  const failed = rows.filter((r) => !r.ok)
  process.stdout.write(
    `\n${rows.length - failed.length} of ${rows.length} figures meet their goals\n`,
  )
  const dir = join(import.meta.dirname, 'results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`,
  )
}

function print(rows: BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length))
  for (const r of rows) {
    const value = `${r.value} ${r.unit}`.padStart(14)
    process.stdout.write(
      `  ${r.name.padEnd(width)} ${value}   goal ${r.goal.padEnd(12)} ${r.ok ? 'ok' : 'MISSED'}\n`,
    )
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
