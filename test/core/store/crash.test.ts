import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { StoreRecoveryReport } from '../../../electron/core/store/recovery'
import { useTempDirs } from './store-fixture'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const WRITER = path.join(ROOT, 'test/fixtures/punch-writer.ts')
// Two stores side by side use both cores; each writer start costs ~0.5 s of tsx.
const RUNNERS = 2
const KILLS_PER_RUNNER = 100
const SNAPSHOT_EVERY = 25
const SHORT_LIFE_MS = 250
// Some lives must outlast a whole background snapshot (worker start, load, replay, write).
const LONG_LIFE_MS = 1000
const LONG_LIFE_SHARE = 0.2

const tempDir = useTempDirs()

interface Life {
  recovery: StoreRecoveryReport
  seen: Set<string>
  orphans: number
  tried: string[]
  acknowledged: string[]
}

/** Runs the writer once; SIGKILLs it `killAfterMs` after its first acknowledged punch or on open. */
function live(dir: string, killAfterMs: number | 'on-open'): Promise<Life> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(SNAPSHOT_EVERY)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const life: Partial<Life> & Pick<Life, 'tried' | 'acknowledged'> = { tried: [], acknowledged: [] }
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const kill = () => child.kill('SIGKILL')
  createInterface({ input: child.stdout }).on('line', (line) => {
    const space = line.indexOf(' ')
    const [tag, rest] = [line.slice(0, space), line.slice(space + 1)]
    if (tag === 'open') life.recovery = JSON.parse(rest)
    else if (tag === 'seen') life.seen = new Set(rest ? rest.split(',') : [])
    else if (tag === 'orphans') {
      life.orphans = Number(rest)
      if (killAfterMs === 'on-open') kill()
    } else if (tag === 'try') life.tried.push(rest)
    else if (tag === 'ok' && life.acknowledged.push(rest) === 1 && killAfterMs !== 'on-open') {
      setTimeout(kill, killAfterMs)
    }
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' || !life.recovery || !life.seen || life.orphans === undefined) {
        reject(new Error(`writer ended with ${signal ?? code} before reporting:\n${stderr}`))
      } else resolve(life as Life)
    })
  })
}

/** Kills a writer over and over on one store; after each restart checks what it reports. */
async function crashLoop(dir: string, kills: number, abandoned: () => boolean) {
  const acknowledged = new Set<string>()
  const tried = new Set<string>()
  const recoveries: StoreRecoveryReport[] = []
  for (let round = 0; round <= kills && !abandoned(); round++) {
    const lifespan = Math.random() < LONG_LIFE_SHARE ? LONG_LIFE_MS : SHORT_LIFE_MS
    const life = await live(dir, round === kills ? 'on-open' : Math.random() * lifespan)
    const lost = [...acknowledged].filter((id) => !life.seen.has(id))
    const invented = [...life.seen].filter((id) => !tried.has(id))
    expect({ round, lost, invented, orphans: life.orphans }).toEqual({
      round,
      lost: [],
      invented: [],
      orphans: 0,
    })
    recoveries.push(life.recovery)
    life.tried.forEach((id) => tried.add(id))
    life.acknowledged.forEach((id) => acknowledged.add(id))
  }
  return { dir, acknowledged: acknowledged.size, recoveries }
}

describe('crash safety', () => {
  it('loses no acknowledged punch and invents none across 200 kill -9s, mid-snapshot included', async () => {
    const dirs = await Promise.all(Array.from({ length: RUNNERS }, () => tempDir()))
    // When one store fails, the others stop too, before the temp folders are removed.
    let failed = false
    const settled = await Promise.allSettled(
      dirs.map((dir) =>
        crashLoop(dir, KILLS_PER_RUNNER, () => failed).catch((error: unknown) => {
          failed = true
          throw error
        }),
      ),
    )
    const runs = settled.map((result) => {
      if (result.status === 'rejected') throw result.reason
      return result.value
    })
    const recoveries = runs.flatMap((run) => run.recoveries)
    expect(recoveries).toHaveLength(RUNNERS * (KILLS_PER_RUNNER + 1))
    // Kills never leave a damaged snapshot behind (atomic writes), nor unreplayable changes.
    expect(recoveries.flatMap((r) => r.setAside)).toEqual([])
    expect(recoveries.filter((r) => r.failedToApply || r.unrecoverable.length > 0)).toEqual([])
    for (const run of runs) {
      expect(run.acknowledged).toBeGreaterThan(KILLS_PER_RUNNER)
      // Background snapshots completed between kills, were loaded on restart, and compaction
      // kept at most two of them.
      expect(run.recoveries.some((r) => r.snapshot !== null)).toBe(true)
      const snapshots = fs.readdirSync(run.dir).filter((name) => /^snapshot-\d+\.db$/.test(name))
      expect(snapshots.length).toBeLessThanOrEqual(2)
    }
    const stats = {
      restartsFromSnapshot: recoveries.filter((r) => r.snapshot !== null).length,
      tornTails: recoveries.filter((r) => r.skipped.length > 0).length,
      tempFilesRemoved: recoveries.reduce((sum, r) => sum + r.tempFilesRemoved, 0),
      acknowledged: runs.map((run) => run.acknowledged),
    }
    console.info(`crash test: ${JSON.stringify(stats)}`)
  }, 400_000)
})
