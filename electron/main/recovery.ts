/**
 * Brings the kiosk screen back by itself when its renderer crashes or hangs, backing off so a
 * page that crashes on load does not spin the machine.
 */
import type { BrowserWindow } from 'electron'
import type { Logger } from '../core/logger'

export interface RecoveryTimings {
  /** First reload delay, ms; doubles with each failure in a row. */
  firstDelayMs: number
  /** Longest wait between reloads, ms. */
  maxDelayMs: number
  /** A hang shorter than this may still recover on its own, ms. */
  hangGraceMs: number
  /** After this long without a failure since the last load, the backoff starts over, ms. */
  healthyAfterMs: number
}

const defaults: RecoveryTimings = {
  firstDelayMs: 1_000,
  maxDelayMs: 60_000,
  hangGraceMs: 10_000,
  healthyAfterMs: 120_000,
}

/** Reloads the window after `render-process-gone` or `unresponsive`, with capped backoff. */
export function setupRecovery(
  win: BrowserWindow,
  log: Logger,
  timings: Partial<RecoveryTimings> = {},
): void {
  const t = { ...defaults, ...timings }
  const contents = win.webContents
  let failuresInARow = 0
  let pending: NodeJS.Timeout | undefined
  let pendingIsHang = false
  let healthy: NodeJS.Timeout | undefined
  let killedByUs = false

  const recover = (why: string, minimumDelayMs: number, action: () => void) => {
    if (pending) return
    pendingIsHang = why === 'unresponsive'
    clearTimeout(healthy)
    failuresInARow += 1
    const backoff = Math.min(t.maxDelayMs, t.firstDelayMs * 2 ** (failuresInARow - 1))
    const delay = Math.max(minimumDelayMs, backoff)
    log.warn(`recovery: kiosk screen ${why}; reloading in ${delay} ms (failure ${failuresInARow})`)
    pending = setTimeout(() => {
      pending = undefined
      if (!win.isDestroyed()) action()
    }, delay)
  }

  contents.on('render-process-gone', (_event, details) => {
    // Our own kill of a hung renderer reports here too; its reload has already been issued.
    if (killedByUs) {
      killedByUs = false
      return
    }
    // A crash supersedes a pending hang recovery: the renderer is gone, reload it.
    if (pending && pendingIsHang) {
      clearTimeout(pending)
      pending = undefined
    }
    recover(`renderer gone (${details.reason}, exit code ${details.exitCode})`, 0, () =>
      contents.reload(),
    )
  })
  contents.on('unresponsive', () => {
    recover('unresponsive', t.hangGraceMs, () => {
      // A hung renderer cannot run a reload itself; Electron's documented way out is to kill it
      // first, after which reload() starts a fresh process.
      killedByUs = true
      contents.forcefullyCrashRenderer()
      contents.reload()
    })
  })
  contents.on('responsive', () => {
    if (!pending || !pendingIsHang) return
    clearTimeout(pending)
    pending = undefined
    log.info('recovery: kiosk screen responsive again')
  })
  contents.on('did-finish-load', () => {
    clearTimeout(healthy)
    healthy = setTimeout(() => (failuresInARow = 0), t.healthyAfterMs)
  })
  win.once('closed', () => {
    clearTimeout(pending)
    clearTimeout(healthy)
  })
}
