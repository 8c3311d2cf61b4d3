/** Time as the sync engine sees it; tests drive a manual one instead of sleeping. */

export interface Scheduler {
  now(): number
  /** Runs `task` after `ms`; returns a cancel function. */
  after(ms: number, task: () => void): () => void
}

/** Real timers; unref'd so a pending retry never keeps a CLI process alive. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after(ms, task) {
    const timer = setTimeout(task, Math.max(0, ms))
    timer.unref?.()
    return () => clearTimeout(timer)
  },
}
