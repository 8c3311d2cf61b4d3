/**
 * The composition root of core: opens the store, builds the domain services and wires each
 * domain's handlers behind the contract. It decides nothing itself. Electron main, the browser
 * host and the CLI all call `openKiosk` and differ only in how they carry calls and pushes.
 */
import { join } from 'node:path'
import { events } from '../shared/contract'
import { createAdminHandlers } from './admin/handlers'
import { AdminSession } from './admin/admin-session'
import { Attendance } from './attendance/attendance'
import { AutoCheckout } from './attendance/auto-checkout'
import { CheckoutRequests } from './attendance/checkout-requests'
import { Corrections } from './attendance/corrections'
import { DayBoard } from './attendance/day-board'
import { createAttendanceHandlers } from './attendance/handlers'
import { UnknownBadgeLimit } from './attendance/unknown-badges'
import { auditEntry } from './audit/audit'
import { Timesheet } from './attendance/timesheet'
import { createAuditHandlers } from './audit/handlers'
import type { LoadedConfig, Config } from './config/config'
import { runOperation, type OperationContext } from './control/operations'
import { serveControl } from './control/server'
import { createConfigHandlers } from './config/handlers'
import { lockDataDir } from './data-lock'
import type { KeySealer } from './faces/face-key'
import { openFaceKeys } from './faces/face-keyring'
import { FaceService } from './faces/face-service'
import { createFacesHandlers } from './faces/handlers'
import { createGate, type Gate, type Handlers } from './gate'
import { createConnector, storedState } from './connectors/index'
import { consoleLogger, type Logger } from './logger'
import { nodePlatform, type KioskPlatform } from './platform'
import { createRosterHandlers } from './roster/handlers'
import { PinLockout } from './roster/pin-lockout'
import { Roster } from './roster/roster'
import { migrations } from './store/schema'
import { describeLoss } from './store/recovery'
import { openStore } from './store/store'
import type { Store } from './store/types'
import { createSyncHandlers } from './sync/handlers'
import { realScheduler, type Scheduler } from './sync/scheduler'
import { SyncService } from './sync/sync-service'

export interface OpenKioskOptions {
  loaded: LoadedConfig
  platform?: Partial<KioskPlatform>
  log?: Logger
  /** Path of the built snapshot worker (Electron passes the one beside out/main/index.js). */
  workerPath?: string
  version?: string
  /** False for the CLI: open the store without talking to the CRM. Default true. */
  startSync?: boolean
  /** Timers for sync; tests pass a manual one. Defaults to real timers on the platform clock. */
  scheduler?: Scheduler
  /** Seals the face key with the OS key store (Electron safeStorage); else a key file is used. */
  keySealer?: KeySealer
  /** False for the CLI: no control channel for other CLI processes. Default true. */
  serveControl?: boolean
}

export interface Kiosk {
  config: Config
  store: Store
  sync: SyncService
  faces: FaceService
  /** Closes ins left open, by the config's rule; the kiosk runs it every minute. */
  autoCheckout: AutoCheckout
  /** Admin mode: who is signed in on which screen, and what they may do. */
  admin: AdminSession
  handlers: Handlers
  /** What CLI commands run against, here or handed over the control channel. */
  operations: OperationContext
  /** Every call from the screen goes through this, whatever the transport. */
  gate: Gate
  /** Pushes for the screen, as (channel, payload); returns the unsubscribe function. */
  subscribe(listener: (channel: string, payload: unknown) => void): () => void
  close(): Promise<void>
}

/** The store folder inside a data folder. */
export function storeDir(dataDir: string): string {
  return join(dataDir, 'store')
}

/** Locks the data folder, opens (and if needed recovers) the store, and wires the services. */
export async function openKiosk(options: OpenKioskOptions): Promise<Kiosk> {
  const { config, dataDir } = options.loaded
  const log = options.log ?? consoleLogger()
  const platform = nodePlatform(options.platform)
  const lock = await lockDataDir(dataDir)
  let store: Store
  try {
    store = await openStore({
      dir: storeDir(dataDir),
      migrations,
      workerPath: options.workerPath,
      log,
    })
  } catch (error) {
    lock.release()
    throw error
  }
  reportRecovery(store, log)
  const listeners = new Set<(channel: string, payload: unknown) => void>()
  const push = (channel: string, payload: unknown) => {
    for (const listener of listeners) listener(channel, payload)
  }
  const version = options.version ?? '0.0.0-dev'
  const scheduler = options.scheduler ?? { now: platform.now, after: realScheduler.after }
  const sync = openSync(
    options,
    scheduler,
    store,
    platform,
    log,
    version,
    (status) => push(events.syncStatusChanged.channel, status),
    (employeeId) => faces.forget(employeeId),
  )
  const lockoutMs = config.pin.lockoutMinutes * 60_000
  const roster = new Roster(store)
  const attendance = new Attendance(store, config, platform, sync.clock)
  let faces: FaceService
  try {
    const keys = openFaceKeys(dataDir, options.keySealer, log)
    faces = new FaceService(store, keys, dataDir, config, roster, attendance, platform.now, log)
    faces.load()
  } catch (error) {
    await store.close()
    lock.release()
    throw error
  }
  attendance.onPunchRecorded(() => sync.punchRecorded())
  const staffLockout = new PinLockout(store, 'staff', config.pin.maxAttempts, lockoutMs)
  const unknownBadges = new UnknownBadgeLimit(
    config.badge.unknownPerWindow,
    config.badge.unknownWindowSeconds * 1000,
    (at, retryAt) =>
      store.commit([
        auditEntry(at, 'kiosk', 'badge.rate-limited', null, {
          until: new Date(retryAt).toISOString(),
        }),
      ]),
  )
  const admin = new AdminSession({
    unknownBadges,
    pinHash: config.adminPinHash,
    store,
    roster,
    badge: config.badge,
    staffLockout,
    now: platform.now,
    maxAttempts: config.pin.maxAttempts,
    lockoutMs,
    idleMs: config.admin.idleMinutes * 60_000,
    limitMs: config.admin.sessionMinutes * 60_000,
  })
  const timesheet = new Timesheet(store, config, platform.now)
  const corrections = new Corrections(attendance, roster, config, platform.now)
  const requests = new CheckoutRequests(store, corrections, config, platform.now)
  const board = new DayBoard(store, roster, timesheet, config, platform.now, () =>
    requests.list('pending'),
  )
  const autoCheckout = new AutoCheckout(store, roster, corrections, config, platform.now)
  const handlers: Handlers = {
    ...createConfigHandlers({ config, version, platform }),
    ...createAttendanceHandlers({
      config,
      platform,
      store,
      roster,
      attendance,
      pinLockout: staffLockout,
      badgeClaims: faces,
      staffList: { loaded: () => sync.staffListLoaded() },
      unknownBadges,
      day: {
        config,
        store,
        roster,
        admin,
        timesheet,
        board,
        corrections,
        requests,
        now: platform.now,
      },
    }),
    ...createAuditHandlers({ store, config, admin, now: platform.now }),
    ...createRosterHandlers({ roster }),
    ...createSyncHandlers({ sync, admin, platform }),
    ...createFacesHandlers({ faces, admin, roster, camera: sync }),
    ...createAdminHandlers({ admin }),
  }
  const operations: OperationContext = {
    store,
    config,
    now: platform.now,
    log,
    punchesQueued: () => sync.punchRecorded(),
    peopleDeactivated: (ids) => ids.forEach((id) => faces.forget(id)),
  }
  const control =
    options.serveControl === false
      ? undefined
      : await serveControl({
          dataDir,
          log,
          run: (command, payload) => runOperation(operations, command, payload, 'control'),
        })
  faces.start(scheduler)
  const stopAutoCheckout =
    options.startSync !== false && config.attendance.autoCheckout.mode !== 'off'
      ? autoCheckout.repeat(scheduler, log)
      : () => {}
  if (options.startSync !== false) sync.start()
  return {
    config,
    store,
    sync,
    faces,
    autoCheckout,
    admin,
    handlers,
    operations,
    gate: createGate(handlers, log),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      listeners.clear()
      try {
        admin.lockAll()
        stopAutoCheckout()
        await control?.close()
        await sync.stop()
        faces.stop()
        await store.close()
      } finally {
        lock.release()
      }
    },
  }
}

function openSync(
  options: OpenKioskOptions,
  scheduler: Scheduler,
  store: Store,
  platform: KioskPlatform,
  log: Logger,
  version: string,
  onStatus: ConstructorParameters<typeof SyncService>[5],
  onDeactivated: ConstructorParameters<typeof SyncService>[6],
): SyncService {
  const { crm, site, attendance } = options.loaded.config
  // The connector reports every response's Date header to the clock the service owns.
  const client = createConnector(crm, {
    siteId: site.id,
    timeZone: options.loaded.config.timeZone,
    deviceId: crm.deviceId,
    timeoutMs: crm.timeoutSeconds * 1000,
    onServerDate: (server, sent, received) => service.clock.record(server, sent, received),
    state: storedState(store, crm.kind),
    log,
  })
  const service = new SyncService(
    store,
    client,
    {
      siteId: site.id,
      timeZone: options.loaded.config.timeZone,
      version,
      batchSize: Math.min(crm.batchSize, client?.maxBatch ?? crm.batchSize),
      holdBackMs: attendance.switchWindowSeconds * 1000,
      retryBaseMs: crm.retryBaseMs,
      retryCapMs: crm.retryCapSeconds * 1000,
      rosterEveryMs: crm.rosterSyncMinutes * 60_000,
      heartbeatEveryMs: crm.heartbeatMinutes * 60_000,
    },
    scheduler,
    log,
    onStatus,
    onDeactivated,
  )
  return service
}

function reportRecovery(store: Store, log: Logger): void {
  const r = store.recovery
  log.info(
    `store opened in ${Math.round(r.openMs)} ms from ${r.snapshot ?? 'an empty database'}, ` +
      `${r.replayed} journal entries replayed`,
  )
  for (const name of r.setAside) log.warn(`corrupt snapshot set aside as ${name}`)
  for (const loss of r.unrecoverable) log.error(describeLoss(loss))
  for (const repair of r.repaired) log.warn(`repaired ${repair.file}: ${repair.detail}`)
  for (const s of r.skipped) {
    log.warn(`${s.records} damaged journal record(s) (${s.bytes} bytes) skipped in ${s.segment}`)
  }
}
