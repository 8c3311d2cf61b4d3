/**
 * The data-folder lock against real processes: killed with their whole tree (leaving zombies a
 * PID check would take for alive), started in pairs, and the real browser host.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DataDirBusyError,
  defaultLockStrategy,
  lockDataDir,
  type LockStrategy,
} from '../../electron/core/data-lock'
import {
  buildHolder,
  concurrentStarts,
  restartsAfterKill,
  startHolder,
  watch,
  type Holder,
} from '../fixtures/lock-trials'

const root = resolve(import.meta.dirname, '../..')
let holder: ReturnType<typeof buildHolder>
const dirs: string[] = []
const running: Holder[] = []

beforeAll(() => {
  holder = buildHolder()
})
afterAll(() => holder.dispose())
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.kill()))
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clockface-lock-'))
  dirs.push(dir)
  return dir
}

/** The browser host as `npm run start:browser` runs it: tsx's launcher and the host under it. */
function startBrowserHost(dir: string): Holder {
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), 'electron/host/index.ts', '--port', '0'],
    {
      cwd: root,
      env: {
        ...process.env,
        CLOCKFACE_CONFIG: join(dir, 'config.json'),
        CLOCKFACE_DATA_DIR: join(dir, 'data'),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const host = watch(child, (line) =>
    /http:\/\/127\.0\.0\.1:\d+\//.test(line) ? { state: 'locked', detail: line } : null,
  )
  running.push(host)
  return host
}

describe('the data-folder lock across processes', () => {
  it('lets a kiosk start within 300 ms of a kill -9 of its whole process tree, 50 times', async () => {
    const { started, failures } = await restartsAfterKill(holder.script, await tempDir(), 50, {
      maxFailures: 3,
    })
    expect(failures).toEqual([])
    expect(started).toBe(50)
  }, 60_000)

  it('lets exactly one of two kiosks started at once hold the folder, 50 times', async () => {
    const { bothHeld, failures } = await concurrentStarts(holder.script, await tempDir(), 50, {
      waitMs: 0,
      maxFailures: 3,
    })
    expect(failures).toEqual([])
    expect(bothHeld).toBe(0)
  }, 60_000)

  it('lets the real browser host start again at once after a kill -9 of its tree', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'config.json'), '{ "faces": { "enabled": false } }\n')
    let host = startBrowserHost(dir)
    expect((await host.outcome).state).toBe('locked')
    for (let trial = 0; trial < 2; trial++) {
      await host.kill()
      host = startBrowserHost(dir)
      const { state, detail } = await host.outcome
      expect(state, detail).toBe('locked')
    }
  }, 60_000)
})

// The macOS strategy (a socket file in the folder) runs here too, so its logic is tested on Linux.
const strategies: LockStrategy[] = [...new Set([defaultLockStrategy(), 'socket-file' as const])]

describe.each(strategies)('the %s lock in one process', (strategy) => {
  it('is released and taken again', async () => {
    const dir = await tempDir()
    const first = await lockDataDir(dir, { strategy, waitMs: 0 })
    first.release()
    first.release()
    const again = await lockDataDir(dir, { strategy, waitMs: 0 })
    again.release()
  })

  it('refuses a second lock on the folder, naming the folder and the holder', async () => {
    const dir = await tempDir()
    const lock = await lockDataDir(dir, { strategy, waitMs: 0 })
    const second = lockDataDir(dir, { strategy, waitMs: 0 })
    await expect(second).rejects.toBeInstanceOf(DataDirBusyError)
    await expect(second).rejects.toThrow(
      `The data folder ${dir} is in use by another Clockface process (pid ${process.pid})`,
    )
    lock.release()
  })

  it('waits for a holder that lets go within the wait', async () => {
    const dir = await tempDir()
    const lock = await lockDataDir(dir, { strategy, waitMs: 0 })
    setTimeout(() => lock.release(), 200)
    const next = await lockDataDir(dir, { strategy, waitMs: 2000 })
    next.release()
  })

  it('starts though an old lock file names a running process (a PID reused after a reboot)', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'clockface.lock'), '1\n')
    const lock = await lockDataDir(dir, { strategy, waitMs: 0 })
    lock.release()
  })

  it('lets exactly one of many takers racing at once win', async () => {
    const dir = await tempDir()
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => lockDataDir(dir, { strategy, waitMs: 0 })),
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    expect(won).toHaveLength(1)
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataDirBusyError)
    }
    won[0]!.value.release()
  })
})

describe('the socket-file lock across processes', () => {
  it('takes over after kill -9 and keeps at most one stale file in the folder', async () => {
    const dir = await tempDir()
    const { started, failures } = await restartsAfterKill(holder.script, dir, 10, {
      strategy: 'socket-file',
      maxFailures: 3,
    })
    expect(failures).toEqual([])
    expect(started).toBe(10)
    expect((await readdir(dir)).length).toBeLessThanOrEqual(1)
  }, 60_000)

  it('lets exactly one of two processes started at once hold the folder', async () => {
    const { bothHeld, failures } = await concurrentStarts(holder.script, await tempDir(), 10, {
      strategy: 'socket-file',
      waitMs: 0,
      maxFailures: 3,
    })
    expect(failures).toEqual([])
    expect(bothHeld).toBe(0)
  }, 60_000)

  it('takes over a stale lock file copied in with the folder', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'clockface.lock.7'), '')
    const lock = await lockDataDir(dir, { strategy: 'socket-file', waitMs: 0 })
    expect(await readdir(dir)).toEqual(['clockface.lock.8'])
    lock.release()
  })

  it('refuses a folder whose path is too long for a socket, saying what to do', async () => {
    const dir = join(await tempDir(), 'x'.repeat(100))
    await expect(lockDataDir(dir, { strategy: 'socket-file', waitMs: 0 })).rejects.toThrow(
      `Cannot lock the data folder ${dir}: its path is too long for the lock`,
    )
  })

  it('refuses a starter while a live process holds the folder', async () => {
    const dir = await tempDir()
    const live = startHolder(holder.script, dir, { strategy: 'socket-file' })
    running.push(live)
    expect((await live.outcome).state).toBe('locked')
    await expect(lockDataDir(dir, { strategy: 'socket-file', waitMs: 300 })).rejects.toThrow(
      /is in use by another Clockface process \(pid \d+\)/,
    )
  })
})
