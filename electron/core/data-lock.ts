/**
 * One process owns a data folder at a time. Two processes replaying and appending the same
 * journal would each hold a different in-memory database and overwrite each other's snapshots,
 * so the kiosk, the browser host and the CLI all take this lock before opening the store.
 *
 * The lock is a listening local socket: the kernel closes it the moment its holder dies, by
 * kill -9, crash or power cut, zombie or not, and nothing ever asks whether a PID is alive.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, realpathSync } from 'node:fs'
import { lockBySocketFile } from './data-lock-file'
import {
  heldBy,
  holderServer,
  listen,
  probeHolder,
  type DataDirLock,
  type LockAttempt,
} from './data-lock-socket'

/**
 * How the lock is held: a Linux abstract-namespace socket, a Windows named pipe (both released
 * by the kernel, no file), or a socket file inside the folder (macOS, which has neither).
 */
export type LockStrategy = 'abstract-socket' | 'named-pipe' | 'socket-file'

export interface LockOptions {
  /** Defaults to the platform's own (see `defaultLockStrategy`). */
  strategy?: LockStrategy
  /** How long to wait for a holder that is still exiting, in ms; default 1000. */
  waitMs?: number
}

export type { DataDirLock }

export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid?: number,
  ) {
    super(
      `The data folder ${dir} is in use by another Clockface process` +
        `${pid === undefined ? '' : ` (pid ${pid})`}. ` +
        'Stop the kiosk (or that command) first, then try again.',
    )
    this.name = 'DataDirBusyError'
  }
}

/** The strategy for `platform`: abstract socket on Linux, named pipe on Windows, else a file. */
export function defaultLockStrategy(platform: NodeJS.Platform = process.platform): LockStrategy {
  if (platform === 'linux') return 'abstract-socket'
  if (platform === 'win32') return 'named-pipe'
  return 'socket-file'
}

/** Takes the folder's lock; throws DataDirBusyError while another process (or this one) has it. */
export async function lockDataDir(dir: string, options: LockOptions = {}): Promise<DataDirLock> {
  mkdirSync(dir, { recursive: true })
  const strategy = options.strategy ?? defaultLockStrategy()
  const deadline = Date.now() + (options.waitMs ?? 1000)
  for (;;) {
    let attempt: LockAttempt
    try {
      attempt =
        strategy === 'socket-file'
          ? await lockBySocketFile(dir)
          : await lockByName(socketName(dir, strategy))
    } catch (error) {
      throw new Error(`Cannot lock the data folder ${dir}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    if ('lock' in attempt) return attempt.lock
    if (Date.now() >= deadline) throw new DataDirBusyError(dir, await askHolderPid(attempt.heldAt))
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * One name per folder: its real path (any case on Windows), hashed to fit every name limit. An
 * abstract name is seen only within one network namespace, as a kiosk's processes all are.
 * `prefix` tells the lock from other sockets of the same folder (the control channel).
 */
export function socketName(
  dir: string,
  strategy: 'abstract-socket' | 'named-pipe',
  prefix = 'clockface',
): string {
  const real = realpathSync.native(dir)
  const key = process.platform === 'win32' ? real.toLowerCase() : real
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32)
  return strategy === 'named-pipe' ? `\\\\.\\pipe\\${prefix}-${hash}` : `\0${prefix}-${hash}`
}

async function lockByName(name: string): Promise<LockAttempt> {
  const server = holderServer()
  try {
    await listen(server, name)
  } catch (error) {
    // Binding a name is atomic: exactly one process gets it, the others get EADDRINUSE.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return { heldAt: name }
    throw error
  }
  return { lock: heldBy(server) }
}

async function askHolderPid(path: string): Promise<number | undefined> {
  const answer = await probeHolder(path)
  return answer.state === 'live' ? answer.pid : undefined
}
