/**
 * One process owns a data folder at a time. Two processes replaying and appending the same
 * journal would each hold a different in-memory database and overwrite each other's snapshots,
 * so the kiosk, the browser host and the CLI all take this lock before opening the store.
 */
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'

export class DataDirBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The data folder ${dir} is in use by another Clockface process (pid ${pid}). ` +
        'Stop the kiosk (or that command) first, then try again.',
    )
    this.name = 'DataDirBusyError'
  }
}

/** Takes the folder's lock, replacing one left by a process that no longer runs. */
export function lockDataDir(dir: string): { release(): void } {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'clockface.lock')
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      let held = true
      return {
        release() {
          if (!held) return
          held = false
          try {
            unlinkSync(file)
          } catch {
            // Already gone: nothing to release.
          }
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
      const pid = Number.parseInt(readFileSafe(file), 10)
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new DataDirBusyError(dir, pid)
      }
      unlinkSync(file)
    }
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
