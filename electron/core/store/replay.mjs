// @ts-check
/** Replays journal records into a database; shared by open-time recovery and snapshot worker. */
import fs from 'node:fs'
import path from 'node:path'
import { decodeSegment, describeDamage, recordToJson } from './journal-codec.mjs'
import { listStoreFiles } from './store-files.mjs'

/** @typedef {import('sql.js').Database} Database */
/** @typedef {import('./types').Statement} Statement */
/** @typedef {import('./store-files.mjs').SegmentFile} SegmentFile */
/** @typedef {{ segment: string, records: number, bytes: number }} SkippedDamage */
/** @typedef {import('./journal-codec.mjs').DamageSeen} DamageSeen */
/**
 * @typedef {{ segment: string, offset: number, bytes: number, torn: boolean, seen: DamageSeen }} DamageAt
 */
/**
 * @typedef {object} JournalHole changes `first..last` are in no intact record
 * @property {number} first
 * @property {number} last
 * @property {DamageAt[]} damage the stretches where they were (none: whole segments are missing)
 */
/**
 * @typedef {object} FailedChange an intact change whose statements no longer apply
 * @property {number} seq
 * @property {string} segment
 * @property {number} offset
 * @property {string} reason
 * @property {DamageSeen} seen
 */
/** @typedef {{ warn(message: string): void, error(message: string, error?: unknown): void }} Log */
/**
 * @typedef {object} ReplayResult
 * @property {number} lastSeq highest seq applied (or attempted) so far
 * @property {number} replayed records applied
 * @property {number} failed intact records whose statements no longer apply
 * @property {FailedChange[]} failures those records, named
 * @property {SkippedDamage[]} skipped damaged records, by segment
 * @property {JournalHole[]} holes changes after `afterSeq` (and up to `upToSeq`) not found intact
 * @property {DamageAt[]} tail damage after the last intact change, not a torn write: it may have
 *   held acknowledged changes (only when replaying to the end)
 * @property {DamageAt[]} covered damage among changes the database already held
 * @property {{ segment: string, seq: number }[]} salvaged records read back despite header damage
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
 * Applies, in seq order, every intact journal record with `afterSeq < seq <= upToSeq`, and finds
 * the changes in that range that no intact record holds. Damage is never thrown.
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
  const result = {
    lastSeq: afterSeq,
    replayed: 0,
    failed: 0,
    failures: [],
    skipped: [],
    holes: [],
    tail: [],
    covered: [],
    salvaged: [],
    segments,
  }
  const walk = { afterSeq, upToSeq, pending: /** @type {DamageAt[]} */ ([]) }
  // One transaction with a savepoint per record: each record still applies all-or-nothing, but
  // replay does not pay for a full commit per record (a third of open time in a fresh process).
  db.run('BEGIN')
  try {
    for (const segment of needed) replaySegment(db, dir, segment, walk, result, log)
  } catch (error) {
    rollbackQuietly(db)
    throw error
  }
  db.run('COMMIT')
  // A torn last write was never acknowledged: the process died inside that very append.
  if (upToSeq === Infinity) result.tail = walk.pending.filter((damage) => !damage.torn)
  else if (result.lastSeq < upToSeq) {
    result.holes.push({ first: result.lastSeq + 1, last: upToSeq, damage: walk.pending })
  }
  return result
}

/**
 * @param {Database} db
 * @param {string} dir
 * @param {SegmentFile} segment
 * @param {{ afterSeq: number, upToSeq: number, pending: DamageAt[] }} walk damage met since the
 *   last intact record, carried across segments
 * @param {ReplayResult} result updated in place
 * @param {Log} [log]
 */
function replaySegment(db, dir, segment, walk, result, log) {
  const decoded = decodeSegment(fs.readFileSync(path.join(dir, segment.name)))
  if (decoded.skippedRecords > 0) {
    const { skippedRecords: records, skippedBytes: bytes } = decoded
    result.skipped.push({ segment: segment.name, records, bytes })
    log?.warn(`journal ${segment.name}: skipped ${bytes} damaged bytes (${records} records)`)
  }
  const damaged = [...decoded.damaged]
  for (const record of decoded.records) {
    while (damaged[0] && damaged[0].offset < record.offset) {
      walk.pending.push({ segment: segment.name, ...damaged[0] })
      damaged.shift()
    }
    if (record.seq > walk.upToSeq) return
    if (record.seq > result.lastSeq + 1) {
      result.holes.push({ first: result.lastSeq + 1, last: record.seq - 1, damage: walk.pending })
    } else if (record.seq <= walk.afterSeq + 1) {
      // Whatever the damage held, the database already had it from the snapshot.
      result.covered.push(...walk.pending.filter((damage) => !damage.torn))
    }
    // Otherwise the damage held nothing missing: a torn write whose seq the next process reused.
    walk.pending = []
    if (record.seq <= result.lastSeq) continue
    if (record.salvaged) result.salvaged.push({ segment: segment.name, seq: record.seq })
    db.run('SAVEPOINT replay')
    try {
      runStatements(db, record.statements)
      result.replayed++
    } catch (error) {
      db.run('ROLLBACK TO replay')
      // The change was durable once; losing it silently would be worse than logging it loudly.
      result.failed++
      result.failures.push({
        seq: record.seq,
        segment: segment.name,
        offset: record.offset,
        reason: error instanceof Error ? error.message : String(error),
        seen: describeDamage(Buffer.from(recordToJson(record), 'utf8')),
      })
      log?.error(`journal ${segment.name}: change ${record.seq} no longer applies`, error)
    }
    db.run('RELEASE replay')
    result.lastSeq = record.seq
  }
  for (const damage of damaged) walk.pending.push({ segment: segment.name, ...damage })
}
