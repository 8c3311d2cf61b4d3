/** Open-time recovery: rebuild the in-memory database from the newest good snapshot + journal. */
import fs from 'node:fs'
import path from 'node:path'
import type { Database, SqlJsStatic } from 'sql.js'
import type { Logger } from '../logger'
import { replayJournal } from './replay.mjs'
import { loadNewestSnapshot } from './snapshot-file.mjs'
import { fsyncFile, listStoreFiles, setAside } from './store-files.mjs'
import type { RecoveryReport } from './types'

/** RecoveryReport plus what only the store's own log and tests need. */
/** What opening found; kept as a name for the store's own callers. */
export type StoreRecoveryReport = RecoveryReport

export interface RecoveredDatabase {
  db: Database
  /** Seq of the last change found (applied, or intact but no longer applicable). */
  seq: number
  /** Seq of the snapshot the database was loaded from (0 when none). */
  snapshotSeq: number
  /** The journal has a hole: changes between a usable snapshot and the journal are lost. */
  hasGap: boolean
  report: Omit<StoreRecoveryReport, 'openMs'>
}

/** Rebuilds the database in `dir`; damaged files are skipped or set aside, never fatal. */
export function recoverDatabase(SQL: SqlJsStatic, dir: string, log: Logger): RecoveredDatabase {
  fs.mkdirSync(dir, { recursive: true })
  const tempFilesRemoved = removeTempFiles(dir, log)
  const base = loadNewestSnapshot(SQL, dir, { log })
  const replay = replayJournal(base.db, dir, { afterSeq: base.seq, log })
  if (replay.gap) {
    const { after, before } = replay.gap
    log.error(`journal is missing changes ${after + 1}..${before - 1}; they cannot be recovered`)
  }
  settleSegments(dir, replay.segments, replay.lastSeq, log)
  return {
    db: base.db,
    seq: replay.lastSeq,
    snapshotSeq: base.seq,
    hasGap: replay.gap !== null,
    report: {
      snapshot: base.name,
      setAside: base.setAside,
      replayed: replay.replayed,
      skipped: replay.skipped,
      tempFilesRemoved,
      ...(replay.failed > 0 ? { failedToApply: replay.failed } : {}),
      ...(replay.gap ? { journalGap: replay.gap } : {}),
    },
  }
}

function removeTempFiles(dir: string, log: Logger): number {
  let removed = 0
  for (const name of listStoreFiles(dir).temps) {
    try {
      fs.unlinkSync(path.join(dir, name))
      removed++
    } catch (error) {
      log.warn(`could not remove leftover ${name}: ${(error as Error).message}`)
    }
  }
  return removed
}

/**
 * Makes sure the segments recovery read are on disk before new changes build on them, and moves
 * away segments holding nothing intact beyond `lastSeq`, whose names the next segment may need.
 */
function settleSegments(
  dir: string,
  segments: readonly { name: string; firstSeq: number }[],
  lastSeq: number,
  log: Logger,
): void {
  const live = segments.filter((segment) => segment.firstSeq <= lastSeq)
  const newest = live[live.length - 1]
  // The previous process may have died between write and fdatasync of its last record.
  if (newest) fsyncFile(path.join(dir, newest.name))
  for (const segment of segments.filter((s) => s.firstSeq > lastSeq)) {
    const file = path.join(dir, segment.name)
    if (fs.statSync(file).size === 0) {
      fs.unlinkSync(file)
    } else {
      const renamed = setAside(dir, segment.name)
      log.warn(`journal ${segment.name} holds no intact change; set aside as ${renamed}`)
    }
  }
}
