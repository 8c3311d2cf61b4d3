/**
 * Everything the kiosk does with the CRM, on its own schedule: uploads (woken by new punches,
 * network hints and its own timers), roster sync, heartbeat, clock offset and the status the
 * screen shows. Punching never waits for any of it.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { ReconciliationResult, ReconciliationSummary, SyncStatus } from '../../shared/types'
import type { Logger } from '../logger'
import type { Store } from '../store/types'
import { ClockOffset } from './clock-offset'
import type { Connector } from '../connectors/connector'
import { CrmError, type CrmEmployee } from './crm-client'
import { Outbox } from './outbox'
import { lastReconciliation, reconcile } from './reconcile'
import { sitePeriod } from './period'
import { RosterLoop } from './roster-loop'
import type { OnDeactivated } from './roster-sync'
import type { Scheduler } from './scheduler'
import { Uploader, type Connection } from './uploader'

/** What the service needs of the HR system: a connector (roster, heartbeat, receipts optional). */
export type SyncClient = Omit<Connector, 'kind' | 'maxBatch'> & Partial<Pick<Connector, 'kind'>>

export interface SyncSettings {
  siteId: string
  /** The site's IANA zone: reconciliation periods are site days. */
  timeZone: string
  version: string
  batchSize: number
  holdBackMs: number
  retryBaseMs: number
  retryCapMs: number
  rosterEveryMs: number
  heartbeatEveryMs: number
}

export type { CrmEmployee }

const stateKeys = { offset: 'clock.offsetMs', lastSync: 'sync.lastAt' } as const

export class SyncService {
  readonly outbox: Outbox
  readonly clock: ClockOffset
  private readonly uploader: Uploader | undefined
  private readonly roster: RosterLoop | undefined
  private connection: Connection | undefined
  private lastSyncAt: number | null
  private savedAt = 0
  private camera: 'ok' | 'missing' | 'error' | undefined
  private readonly timers: (() => void)[] = []
  private reconciliation: ReconciliationSummary | null
  private reconciling = false

  constructor(
    private readonly store: Store,
    private readonly client: SyncClient | undefined,
    private readonly settings: SyncSettings,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly onStatus: (status: SyncStatus) => void,
    onDeactivated: OnDeactivated = () => {},
  ) {
    this.outbox = new Outbox(store)
    const saved = this.readState(stateKeys.offset)
    this.clock = new ClockOffset(saved !== undefined ? Number(saved) : null)
    const lastSync = this.readState(stateKeys.lastSync)
    this.lastSyncAt = lastSync !== undefined ? Number(lastSync) : null
    this.reconciliation = lastReconciliation(store)
    if (!client) return
    const policy = { baseMs: settings.retryBaseMs, capMs: settings.retryCapMs }
    this.uploader = new Uploader({
      outbox: this.outbox,
      client,
      scheduler,
      policy,
      batchSize: settings.batchSize,
      holdBackMs: settings.holdBackMs,
      log,
      onConnection: (connection) => this.connectionChanged(connection),
      onProgress: () => this.onStatus(this.status()),
    })
    if (!client.roster) return
    const source = { roster: client.roster.bind(client) }
    this.roster = new RosterLoop({
      store,
      source,
      siteId: settings.siteId,
      scheduler,
      policy,
      everyMs: settings.rosterEveryMs,
      log,
      onDeactivated,
      onTried: () => this.onStatus(this.status()),
    })
  }

  /** Starts uploading, roster sync and heartbeat; a kiosk without a CRM does nothing. */
  start(): void {
    if (!this.uploader) return
    this.uploader.wake('start')
    this.roster?.start()
    // A missed heartbeat is not retried early: the next one replaces it, and the CRM is
    // already struggling when one fails.
    if (this.client?.heartbeat)
      this.every(this.settings.heartbeatEveryMs, () => this.sendHeartbeat())
  }

  async stop(): Promise<void> {
    for (const cancel of this.timers.splice(0)) cancel()
    this.uploader?.stop()
    await Promise.all([this.uploader?.idle(), this.roster?.stop()])
    this.saveState(true)
  }

  /** A punch entered the queue: upload soon (unless backing off) and update the count on screen. */
  punchRecorded(): void {
    this.uploader?.wake('punch')
    this.onStatus(this.status())
  }

  /** Puts a dead letter back in the upload queue (audited) and uploads soon; false if none. */
  retryDeadLetter(punchId: string, actor: string, now: number): boolean {
    if (!this.outbox.retry(punchId, actor, now)) return false
    this.punchRecorded()
    return true
  }

  /** False only while a CRM kiosk waits for its first staff list (a CSV-only kiosk has one). */
  staffListLoaded(): boolean {
    return this.roster?.status(this.scheduler.now()).state !== 'never'
  }

  /** What the screen last said about its camera; reported in the heartbeat. */
  setCameraStatus(camera: 'ok' | 'missing' | 'error'): void {
    this.camera = camera
  }

  /** The OS or the screen says the network is back or the machine woke: try now. */
  networkHint(): void {
    this.uploader?.wake('network')
    this.roster?.networkHint()
  }

  /** Pulls roster changes now; a failure is logged and retried after a backoff. */
  async syncRosterNow(): Promise<void> {
    await this.roster?.syncNow()
  }

  /**
   * Compares the punches of site days `from` to `to` (YYYY-MM-DD, both included) with the CRM's
   * receipts and requeues what it lacks (audited under `actor`). A CRM that fails or answers
   * wrongly gives RECONCILE_FAILED and changes nothing.
   */
  async reconcile(
    days: { from: string; to: string },
    actor: string,
  ): Promise<ReconciliationResult> {
    const period = sitePeriod(days.from, days.to, this.settings.timeZone)
    const failed = (message: string, details?: Record<string, string | number>) =>
      new ClockfaceError(ErrorCode.ReconcileFailed, message, details)
    if (!this.client) throw failed('No CRM is configured: there is nothing to reconcile with.')
    if (!this.client.receipts) {
      throw failed(`${this.client.name} keeps no receipts of this kiosk's punches to compare with.`)
    }
    if (this.reconciling) throw failed('A reconciliation is already running.')
    this.reconciling = true
    try {
      const now = this.scheduler.now()
      const source = { receipts: this.client.receipts.bind(this.client) }
      const result = await reconcile(this.store, source, { ...period, now, actor })
      const { unknownIdList: _listed, ...summary } = result
      this.reconciliation = summary
      this.log.info(
        `reconciliation ${days.from}..${days.to}: ${result.localCount} here, ` +
          `${result.remoteCount} at the CRM, ${result.requeued} requeued, ` +
          `${result.unknownIds} unknown to this kiosk`,
      )
      this.punchRecorded()
      return result
    } catch (error) {
      if (!(error instanceof CrmError)) throw error
      throw failed(`Reconciliation failed, nothing changed: ${error.message}`, {
        kind: error.kind,
        ...(error.status !== undefined ? { status: error.status } : {}),
      })
    } finally {
      this.reconciling = false
    }
  }

  status(): SyncStatus {
    const { pending, oldest } = this.outbox.depth()
    const iso = (t: number | null) => (t !== null ? new Date(t).toISOString() : null)
    const c = this.connection
    return {
      mode: !this.client
        ? 'offline-only'
        : this.roster?.unauthorised
          ? 'unauthorised'
          : c?.state === 'online'
            ? 'online'
            : (c?.state ?? 'offline'),
      pending,
      oldestPendingAt: iso(oldest),
      lastSyncAt: iso(this.lastSyncAt),
      offlineSince: c && c.state !== 'online' ? iso(c.since) : null,
      roster: this.roster?.status(this.scheduler.now()) ?? {
        state: 'local',
        lastSyncAt: null,
        failures: 0,
      },
      reconciliation: this.reconciliation,
    }
  }

  private async sendHeartbeat(): Promise<void> {
    if (!this.client?.heartbeat) return
    const { pending, oldest, deadLetters } = this.outbox.depth()
    try {
      await this.client.heartbeat({
        version: this.settings.version,
        siteId: this.settings.siteId,
        queueDepth: pending,
        deadLetters,
        oldestPendingAt: oldest !== null ? new Date(oldest).toISOString() : null,
        lastSyncAt: this.lastSyncAt !== null ? new Date(this.lastSyncAt).toISOString() : null,
        clockOffsetMs: this.clock.offsetMs,
        ...(this.camera ? { camera: this.camera } : {}),
      })
    } catch (error) {
      this.log.warn(`heartbeat failed: ${(error as Error).message}`)
    }
  }

  private connectionChanged(connection: Connection): void {
    const was = this.connection?.state
    this.connection = connection
    if (connection.state === 'online') {
      this.lastSyncAt = connection.at
      this.saveState(false)
    }
    if (was !== connection.state) {
      this.log.info(
        `CRM connection: ${connection.state}${'reason' in connection ? ` (${connection.reason})` : ''}`,
      )
    }
    this.onStatus(this.status())
  }

  /** Persists the clock offset and last sync time, at most once a minute unless forced. */
  private saveState(force: boolean): void {
    const now = this.scheduler.now()
    if (!force && now - this.savedAt < 60_000) return
    this.savedAt = now
    const offset = this.clock.offsetMs
    const rows: [string, string][] = []
    if (offset !== null) rows.push([stateKeys.offset, String(offset)])
    if (this.lastSyncAt !== null) rows.push([stateKeys.lastSync, String(this.lastSyncAt)])
    if (rows.length === 0) return
    try {
      this.store.commit(
        rows.map(([key, value]) => [
          `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          [key, value],
        ]),
      )
    } catch (error) {
      this.log.warn(`could not save sync state: ${(error as Error).message}`)
    }
  }

  private readState(key: string): string | undefined {
    return this.store.get<{ value: string }>(`SELECT value FROM sync_state WHERE key = ?`, [key])
      ?.value
  }

  private every(intervalMs: number, task: () => Promise<void>): void {
    let stopped = false
    let cancel = this.scheduler.after(0, run)
    const scheduler = this.scheduler
    function run() {
      void task().finally(() => {
        if (!stopped) cancel = scheduler.after(intervalMs, run)
      })
    }
    this.timers.push(() => {
      stopped = true
      cancel()
    })
  }
}
