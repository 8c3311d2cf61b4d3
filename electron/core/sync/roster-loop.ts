/**
 * The roster sync's schedule: at start, then `everyMs` after each good sync. A failed sync backs
 * off like an upload (the same Backoff: full jitter, Retry-After, a refused device checks back
 * at the cap), so one bad answer costs the kiosk seconds, not a sync interval. It also says
 * where the staff list stands, for the status area.
 */
import type { RosterState, RosterSyncStatus } from '../../shared/types'
import type { Logger } from '../logger'
import type { Store } from '../store/types'
import { CrmError } from './crm-client'
import { Backoff, type RetryPolicy } from './retry'
import { rosterSyncedAt, syncRoster, type OnDeactivated, type RosterSource } from './roster-sync'
import type { Scheduler } from './scheduler'

/** A list older than this many sync intervals is stale: good syncs have failed for two of them. */
export const staleAfterIntervals = 3

export interface RosterLoopOptions {
  store: Store
  source: RosterSource
  siteId: string
  scheduler: Scheduler
  policy: RetryPolicy
  /** Wait after a good sync, ms (`rosterSyncMinutes`). */
  everyMs: number
  log: Logger
  onDeactivated: OnDeactivated
  /** After every try, good or bad, so the status area follows. */
  onTried(): void
  random?: () => number
}

export class RosterLoop {
  private readonly backoff: Backoff
  private syncedAt: number | null
  private refused = false
  private running = false
  private stopped = true
  private cancelTimer: (() => void) | undefined
  private latest: Promise<void> = Promise.resolve()

  constructor(private readonly o: RosterLoopOptions) {
    this.backoff = new Backoff(o.policy, o.random)
    this.syncedAt = rosterSyncedAt(o.store)
  }

  /** Syncs at once, then on schedule. */
  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  /** Cancels the next try and waits for one under way. */
  async stop(): Promise<void> {
    this.stopped = true
    this.cancelTimer?.()
    await this.latest
  }

  /** Syncs now (after a sync under way, never beside it: the cursor moves page by page). */
  syncNow(): Promise<void> {
    this.latest = this.latest.then(() => this.attempt())
    return this.latest
  }

  /** The network may be back: a failing sync tries now instead of waiting out its backoff. */
  networkHint(): void {
    if (!this.stopped && !this.running && this.backoff.failures > 0) void this.syncNow()
  }

  /** True while the CRM refuses this device the roster (401 or 403). */
  get unauthorised(): boolean {
    return this.refused
  }

  /** Where the staff list stands at `now` (ms). */
  status(now: number): RosterSyncStatus {
    const failures = this.backoff.failures
    const at = this.syncedAt
    const state: RosterState =
      at === null
        ? 'never'
        : now - at > staleAfterIntervals * this.o.everyMs
          ? 'stale'
          : failures > 0
            ? 'failing'
            : 'fresh'
    return { state, lastSyncAt: at !== null ? new Date(at).toISOString() : null, failures }
  }

  private async attempt(): Promise<void> {
    this.cancelTimer?.()
    this.cancelTimer = undefined
    this.running = true
    const now = this.o.scheduler.now()
    let delayMs: number
    try {
      const { store, source, siteId, onDeactivated } = this.o
      const warn = (message: string) => this.o.log.warn(message)
      const changed = await syncRoster(store, source, siteId, now, { onDeactivated, warn })
      const failed = this.backoff.failures
      this.backoff.succeeded()
      this.syncedAt = now
      this.refused = false
      delayMs = this.o.everyMs
      if (changed > 0 || failed > 0) {
        const after =
          failed > 0 ? ` (after ${failed} failed ${failed === 1 ? 'try' : 'tries'})` : ''
        this.o.log.info(`roster: ${changed} employee change(s) from the CRM${after}`)
      }
    } catch (error) {
      delayMs = this.backoff.failed(error)
      this.refused = error instanceof CrmError && error.kind === 'unauthorised'
      this.o.log.warn(
        `roster sync failed (${this.backoff.failures} in a row, next try in ` +
          `${Math.ceil(delayMs / 1000)} s): ${(error as Error).message}`,
      )
    } finally {
      this.running = false
    }
    if (!this.stopped) this.schedule(delayMs)
    this.o.onTried()
  }

  private schedule(delayMs: number): void {
    this.cancelTimer?.()
    this.cancelTimer = this.o.scheduler.after(delayMs, () => {
      this.cancelTimer = undefined
      void this.syncNow()
    })
  }
}
