/**
 * The data-folder lock with real processes: kiosks killed with kill -9 (their whole process tree)
 * and started again within 300 ms, and kiosks started two at once.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildHolder, concurrentStarts, restartsAfterKill } from '../test/fixtures/lock-trials'
import type { BenchRow } from './report'

const trials = 50

/** Restarts that started, and concurrent pairs that both held the folder, of 50 each. */
export async function benchLock(): Promise<BenchRow[]> {
  const holder = buildHolder()
  const dir = await mkdtemp(join(tmpdir(), 'clockface-bench-lock-'))
  try {
    const restarts = await restartsAfterKill(holder.script, join(dir, 'restarts'), trials)
    const pairs = await concurrentStarts(holder.script, join(dir, 'pairs'), trials, { waitMs: 0 })
    for (const failure of [...restarts.failures, ...pairs.failures]) {
      process.stdout.write(`  ${failure}\n`)
    }
    return [
      {
        name: 'restarts within 300 ms of a kill -9 that started',
        value: restarts.started,
        unit: `of ${trials}`,
        goal: `all ${trials}`,
        ok: restarts.started === trials,
      },
      {
        name: 'concurrent starts that both held the folder',
        value: pairs.bothHeld,
        unit: `of ${trials}`,
        goal: '0',
        ok: pairs.bothHeld === 0 && pairs.failures.length === 0,
      },
    ]
  } finally {
    holder.dispose()
    await rm(dir, { recursive: true, force: true })
  }
}
