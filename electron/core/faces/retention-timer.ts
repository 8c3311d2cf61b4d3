/** The retention check's clock: a running kiosk erases expired face data without a restart. */
import type { Logger } from '../logger'

/** How often a running kiosk looks for consents past their retention period. */
export const retentionCheckMs = 60 * 60_000

/** Timers the retention check runs on (the sync Scheduler fits). */
export interface FaceTimers {
  /** Runs `task` after `ms`; returns a cancel function. */
  after(ms: number, task: () => void): () => void
}

/** Runs `check` every `retentionCheckMs` until the returned function is called. */
export function repeatRetentionCheck(
  timers: FaceTimers,
  check: () => void,
  log: Logger,
): () => void {
  let cancel = () => {}
  const run = () => {
    try {
      check()
    } catch (error) {
      // The next round tries again; a full disk must not stop the checks for good.
      log.error('faces: retention check failed', error)
    }
    cancel = timers.after(retentionCheckMs, run)
  }
  cancel = timers.after(retentionCheckMs, run)
  return () => cancel()
}
