// @ts-check
/** Replays journal records into a database; shared by open-time recovery and snapshot worker. */
import fs from 'node:fs'
import path from 'node:path'
import { decodeSegment } from './journal-codec.mjs'
import { listStoreFiles } from './store-files.mjs'

/** @typedef {import('sql.js').Database} Database */
/** @typedef {import('./types').Statement} Statement */
/** @typedef {import('./store-files.mjs').SegmentFile} SegmentFile */
/** @typedef {{ segment: string, records: number, bytes: number }} SkippedDamage */
/** @typedef {{ warn(message: string): void, error(message: string, error?: unknown): void }} Log */
/**
 * @typedef {object} ReplayResult
 * @property {number} lastSeq highest seq applied (or attempted) so far
 * @property {number} replayed records applied
 * @property {number} failed intact records whose statements no longer apply
 * @property {SkippedDamage[]} skipped damaged records, by segment
 * @property {{ after: number, before: number } | null} gap seqs strictly between are missing
 * @property {SegmentFile[]} segments every segment file found, oldest first
 */

/** Runs statements on the database, inside whatever transaction the caller holds. */
export function runStatements(
  /** @type {Database} */ db,
  /** @type {readonly Statement[]} */ statements,
) {
  for (const [sql, params] of statements) {
    // Without parameters sql.js runs every statement in the text (migrations may hold several).
    if (params && params.length > 0) db.run(sql, [...params])
    else db.run(sql)
  }
}

/** Rolls back the open transaction; SQLite may already have done so after some errors. */
export function rollbackQuietly(/** @type {Database} */ db) {
  try {
    db.run('ROLLBACK')
  } catch {
    // No transaction was active any more: nothing to undo.
  }
}

/** Runs statements as one transaction; on failure rolls back and rethrows. */
export function applyStatements(
  /** @type {Database} */ db,
  /** @type {readonly Statement[]} */ statements,
) {
  db.run('BEGIN')
  try {
    runStatements(db, statements)
  } catch (error) {
    rollbackQuietly(db)
    throw error
  }
  db.run('COMMIT')
}

/**
 * Applies, in seq order, every intact journal record with `afterSeq < seq <= upToSeq`.
 * Damage is skipped and counted, never thrown.
 * @param {Database} db
 * @param {string} dir
 * @param {{ afterSeq: number, upToSeq?: number, log?: Log }} range
 * @returns {ReplayResult}
 */
export function replayJournal(db, dir, { afterSeq, upToSeq = Infinity, log }) {
  const { segments } = listStoreFiles(dir)
  // A segment holds only seqs below its successor's first seq, so covered ones need no reading.
  const needed = segments.filter(
    (segment, i) =>
      segment.firstSeq <= upToSeq && (segments[i + 1]?.firstSeq ?? Infinity) > afterSeq + 1,
  )
  /** @type {ReplayResult} */
  const result = { lastSeq: afterSeq, replayed: 0, failed: 0, skipped: [], gap: null, segments }
  const first = needed[0]
  if (first ? first.firstSeq > afterSeq + 1 : afterSeq < upToSeq && upToSeq !== Infinity) {
    result.gap = { after: afterSeq, before: first ? first.firstSeq : upToSeq + 1 }
  }
  // One transaction with a savepoint per record: each record still applies all-or-nothing, but
  // replay does not pay for a full commit per record (a third of open time in a fresh process).
  db.run('BEGIN')
  try {
    for (const segment of needed) replaySegment(db, dir, segment, upToSeq, result, log)
  } catch (error) {
    rollbackQuietly(db)
    throw error
  }
  db.run('COMMIT')
  return result
}

/**
 * @param {Database} db
 * @param {string} dir
 * @param {SegmentFile} segment
 * @param {number} upToSeq
 * @param {ReplayResult} result updated in place
 * @param {Log} [log]
 */
function replaySegment(db, dir, segment, upToSeq, result, log) {
  const decoded = decodeSegment(fs.readFileSync(path.join(dir, segment.name)))
  if (decoded.skippedRecords > 0) {
    const { skippedRecords: records, skippedBytes: bytes } = decoded
    result.skipped.push({ segment: segment.name, records, bytes })
    log?.warn(`journal ${segment.name}: skipped ${bytes} damaged bytes (${records} records)`)
  }
  for (const record of decoded.records) {
    if (record.seq <= result.lastSeq || record.seq > upToSeq) continue
    db.run('SAVEPOINT replay')
    try {
      runStatements(db, record.statements)
      result.replayed++
    } catch (error) {
      db.run('ROLLBACK TO replay')
      // The change was durable once; losing it silently would be worse than logging it loudly.
      result.failed++
      log?.error(`journal ${segment.name}: change ${record.seq} no longer applies`, error)
    }
    db.run('RELEASE replay')
    result.lastSeq = record.seq
  }
}
