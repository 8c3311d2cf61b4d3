/** The durable database every domain writes through. See README "How punches are kept". */

/** A value bound to a `?` placeholder; blobs travel through the journal as base64. */
export type SqlValue = string | number | null | Uint8Array

/** One SQL statement with its parameters. */
export type Statement = readonly [sql: string, params?: readonly SqlValue[]]

/** A schema step, applied once, in order of `version`, itself journaled like any change. */
export interface Migration {
  version: number
  description: string
  statements: readonly string[]
}

/** What opening the store found and did; shown by `cli status` and logged at start. */
export interface RecoveryReport {
  /** File name of the snapshot loaded, or null when it started empty. */
  snapshot: string | null
  /** Snapshot files that failed their checksum or would not open, renamed `*.corrupt-<time>`. */
  setAside: string[]
  /** Journal entries applied on top of the snapshot. */
  replayed: number
  /** Damaged journal records skipped (torn tail or bad checksum), by segment file name. */
  skipped: { segment: string; records: number; bytes: number }[]
  /** Leftover temp files from an interrupted snapshot, removed. */
  tempFilesRemoved: number
  /** Time taken to open, milliseconds. */
  openMs: number
  /** Intact journal changes whose statements no longer applied (logged as errors). */
  failedToApply?: number
  /** Damage another copy made good: the store holds everything these files held. */
  repaired: RepairedDamage[]
  /**
   * Changes no copy on disk held intact, found by this open or an earlier one (kept in the
   * database, so compaction never makes a loss silent). Logged as errors, shown by `cli status`.
   */
  unrecoverable: UnrecoverableChanges[]
  /** Migration versions applied by this open. */
  migrationsApplied?: number[]
}

/** A damaged store file whose contents were recovered from another copy. */
export interface RepairedDamage {
  file: string
  /** What was damaged and where the store took it from instead. */
  detail: string
}

/** Acknowledged changes that are lost: named so someone can re-enter them. */
export interface UnrecoverableChanges {
  /** Seqs `first..last` are lost; `last` is null for a damaged journal tail (count unknown). */
  first: number
  last: number | null
  /** Where the damaged records were; empty when whole journal segments are missing. */
  where: { segment: string; offset: number; bytes: number }[]
  /** What the damaged bytes still show: tables written and ids named (punch ids among them). */
  tables: string[]
  ids: string[]
  /** Set when the record is intact but its statements no longer apply (the error). */
  reason?: string
  /** When the loss was found, ms since the epoch. */
  foundAt: number
}

export interface Store {
  /**
   * Applies the statements as one transaction and returns only once they are durable (journal
   * appended and fsynced). Throws and changes nothing if any statement fails or the journal
   * cannot be written.
   */
  commit(statements: readonly Statement[]): void
  /** Rows of a read-only query, as objects keyed by column name. */
  all<T>(sql: string, params?: readonly SqlValue[]): T[]
  /** The first row of a read-only query, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): T | undefined
  /** Writes a snapshot now (in the background worker) and compacts the journal. */
  snapshot(): Promise<void>
  /** Stops background work and closes files; commits after close throw. */
  close(): Promise<void>
  readonly recovery: RecoveryReport
  /** Sequence number of the last durable change. */
  readonly sequence: number
}

export interface StoreOptions {
  /** Folder the store owns; created if missing. */
  dir: string
  migrations: readonly Migration[]
  /** Journal entries between background snapshots; default 5000. */
  snapshotEvery?: number
  /** Path of the built snapshot worker; defaults to the .mjs beside the store sources. */
  workerPath?: string
  log?: import('../logger').Logger
}
