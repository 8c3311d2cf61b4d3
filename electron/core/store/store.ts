/**
 * The durable store: sql.js holds the database in memory, and every change is appended to a
 * checksummed journal and fdatasynced before `commit` returns. Snapshots are built in the
 * background; on open the newest good snapshot plus the journal rebuild the database.
 * Statements are replayed verbatim, so they must be deterministic: pass times as parameters.
 */
import type { Database } from 'sql.js'
import { silentLogger, type Logger } from '../logger'
import { JournalWriter } from './journal-writer'
import { migrationStatements, pendingMigrations, unknownVersions } from './migrations'
import { compactStoreFiles } from './compaction'
import { recoverDatabase, type StoreRecoveryReport } from './recovery'
import { rollbackQuietly, runStatements } from './replay.mjs'
import { Snapshotter } from './snapshotter'
import { loadSqlJs } from './sql-engine.mjs'
import type {
  Migration,
  SqlValue,
  Statement,
  Store,
  StoreOptions,
  UnrecoverableChanges,
} from './types'
import { recordedLosses, recordLossStatements } from './unrecoverable'

const DEFAULT_SNAPSHOT_EVERY = 5000

/** Opens the store in `options.dir`, recovering from whatever a crash left, then migrates. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const started = performance.now()
  const log = options.log ?? silentLogger
  const SQL = await loadSqlJs()
  const recovered = recoverDatabase(SQL, options.dir, log)
  let journal: JournalWriter
  try {
    journal = JournalWriter.create(options.dir, recovered.seq + 1)
  } catch (error) {
    recovered.db.close()
    throw error
  }
  // A kill between writing a snapshot and compacting leaves an extra snapshot or segment behind.
  compactStoreFiles(options.dir, log, recovered.report.snapshot)
  let store: DurableStore | null = null
  const snapshots = new Snapshotter({
    dir: options.dir,
    workerPath: options.workerPath ?? new URL('./snapshot-worker.mjs', import.meta.url),
    log,
    acceptedHoles: recovered.holes,
    newestSeq: recovered.snapshotSeq,
    exportDatabase: () => {
      if (!store) throw new Error('the store is not open yet')
      return store.exportDatabase()
    },
  })
  const recovery: StoreRecoveryReport = { ...recovered.report, unrecoverable: [], openMs: 0 }
  store = new DurableStore(recovered.db, recovered.seq, journal, snapshots, recovery, {
    snapshotEvery: options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY,
    log,
    // Changes replayed at open are not in any snapshot yet; they count towards the next one.
    changesSinceSnapshot: recovered.seq - recovered.snapshotSeq,
  })
  try {
    recovery.unrecoverable = store.recordLosses(recovered.lost)
    recovery.migrationsApplied = store.migrate(options.migrations)
  } catch (error) {
    await store.close()
    throw error
  }
  recovery.openMs = performance.now() - started
  return store
}

class DurableStore implements Store {
  private changesSinceSnapshot: number
  private closing: Promise<void> | null = null
  private failure: Error | null = null

  constructor(
    private readonly db: Database,
    private seq: number,
    private readonly journal: JournalWriter,
    private readonly snapshots: Snapshotter,
    readonly recovery: StoreRecoveryReport,
    private readonly settings: { snapshotEvery: number; log: Logger; changesSinceSnapshot: number },
  ) {
    this.changesSinceSnapshot = settings.changesSinceSnapshot
    // Writes must go through commit, or they would vanish on restart; the engine enforces it.
    db.run('PRAGMA query_only = ON')
  }

  get sequence(): number {
    return this.seq
  }

  commit(statements: readonly Statement[]): void {
    this.assertWritable()
    if (statements.length === 0) return
    const seq = this.seq + 1
    this.db.run('PRAGMA query_only = OFF')
    try {
      this.db.run('BEGIN')
      try {
        runStatements(this.db, statements)
        this.journal.append({ seq, statements })
      } catch (error) {
        rollbackQuietly(this.db)
        throw error
      }
      this.commitJournaled(seq)
    } finally {
      this.db.run('PRAGMA query_only = ON')
    }
    this.changesSinceSnapshot++
    if (this.changesSinceSnapshot >= this.settings.snapshotEvery && !this.snapshots.busy) {
      this.snapshots
        .request(() => this.sealJournal())
        .catch((error: unknown) => {
          // The journal keeps every change meanwhile; only open time grows until one succeeds.
          this.settings.log.error('background snapshot failed', error)
        })
    }
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    this.assertOpen()
    const statement = this.db.prepare(sql, [...params])
    try {
      const rows: T[] = []
      while (statement.step()) rows.push(statement.getAsObject() as T)
      return rows
    } finally {
      statement.free()
    }
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined {
    this.assertOpen()
    const statement = this.db.prepare(sql, [...params])
    try {
      return statement.step() ? (statement.getAsObject() as T) : undefined
    } finally {
      statement.free()
    }
  }

  snapshot(): Promise<void> {
    if (this.closing) return Promise.reject(new Error('the store is closed'))
    return this.snapshots.request(() => this.sealJournal())
  }

  close(): Promise<void> {
    this.closing ??= this.snapshots
      .idle()
      .catch(() => undefined)
      .then(() => {
        this.journal.close()
        this.db.close()
      })
    return this.closing
  }

  /** Journals losses found at open beside the earlier ones; returns them all. */
  recordLosses(lost: readonly UnrecoverableChanges[]): UnrecoverableChanges[] {
    if (lost.length > 0) this.commit(recordLossStatements(lost))
    return recordedLosses(this.db)
  }

  /** Seals the journal and exports the database as it is: every change acknowledged so far. */
  exportDatabase(): { seq: number; bytes: Uint8Array } {
    // Runs inside a snapshot, which close waits for: the database is still open even if closing.
    return { seq: this.sealJournal(), bytes: this.db.export() }
  }

  /** Applies pending migrations, each as one journaled commit; returns their versions. */
  migrate(migrations: readonly Migration[]): number[] {
    const unknown = unknownVersions(this.db, migrations)
    if (unknown.length > 0) {
      this.settings.log.warn(`database has schema versions this build does not know: ${unknown}`)
    }
    const pending = pendingMigrations(this.db, migrations)
    for (const migration of pending) {
      this.commit(migrationStatements(migration, Date.now()))
      this.settings.log.info(`applied migration ${migration.version}: ${migration.description}`)
    }
    return pending.map((migration) => migration.version)
  }

  private commitJournaled(seq: number): void {
    try {
      this.db.run('COMMIT')
    } catch (error) {
      rollbackQuietly(this.db)
      // The change is durable but not in memory; only a reopen (replay) makes them agree again.
      this.failure = new Error('the store no longer matches its journal; reopen it', {
        cause: error,
      })
      throw this.failure
    }
    this.seq = seq
  }

  private sealJournal(): number {
    this.journal.seal(this.seq + 1)
    this.changesSinceSnapshot = 0
    return this.seq
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the store is closed')
  }

  private assertWritable(): void {
    this.assertOpen()
    if (this.failure) throw this.failure
  }
}
