/** Open-time recovery: rebuild the in-memory database from the newest good snapshot + journal. */
import fs from 'node:fs'
import path from 'node:path'
import type { Database, SqlJsStatic } from 'sql.js'
import type { Logger } from '../logger'
import { replayJournal, type DamageAt, type ReplayResult } from './replay.mjs'
import type { SeqRange } from './snapshot-protocol'
import { loadNewestSnapshot } from './snapshot-file.mjs'
import { fsyncFile, listStoreFiles, setAside } from './store-files.mjs'
import type { RecoveryReport, RepairedDamage, UnrecoverableChanges } from './types'

/** What opening found; kept as a name for the store's own callers. */
export type StoreRecoveryReport = RecoveryReport

export interface RecoveredDatabase {
  db: Database
  /** Seq of the last change found (applied, or intact but no longer applicable). */
  seq: number
  /** Seq of the snapshot the database was loaded from (0 when none). */
  snapshotSeq: number
  /** Changes no copy held: the database lacks them, so snapshots may lack them too. */
  holes: SeqRange[]
  /** Losses this open found (earlier ones are kept in the database). */
  lost: UnrecoverableChanges[]
  report: Omit<StoreRecoveryReport, 'openMs' | 'unrecoverable'>
}

/** Rebuilds the database in `dir`; damaged files are skipped or set aside, never fatal. */
export function recoverDatabase(SQL: SqlJsStatic, dir: string, log: Logger): RecoveredDatabase {
  fs.mkdirSync(dir, { recursive: true })
  const tempFilesRemoved = removeTempFiles(dir, log)
  const base = loadNewestSnapshot(SQL, dir, { log })
  const replay = replayJournal(base.db, dir, { afterSeq: base.seq, log })
  const renamed = settleSegments(dir, replay.segments, replay.lastSeq, log)
  // Losses and repairs are logged by whoever reports the open (the kiosk's start log).
  const lost = lostChanges(replay, renamed)
  const repaired = repairs(replay, base.name, base.setAside)
  return {
    db: base.db,
    seq: replay.lastSeq,
    snapshotSeq: base.seq,
    holes: replay.holes.map(({ first, last }) => ({ first, last })),
    lost,
    report: {
      snapshot: base.name,
      setAside: base.setAside,
      replayed: replay.replayed,
      skipped: replay.skipped,
      tempFilesRemoved,
      ...(replay.failed > 0 ? { failedToApply: replay.failed } : {}),
      repaired,
    },
  }
}

/** One line naming a loss: which changes, where they were, and what they still show. */
export function describeLoss(loss: UnrecoverableChanges): string {
  const which =
    loss.last === null
      ? `the change(s) after ${loss.first - 1} (a damaged journal tail; lost if acknowledged)`
      : loss.first === loss.last
        ? `change ${loss.first}`
        : `changes ${loss.first}..${loss.last}`
  const where =
    loss.where.length === 0
      ? 'journal segments missing'
      : loss.where
          .map((w) =>
            w.bytes === 0
              ? `${w.segment} at byte ${w.offset}`
              : `${w.segment} bytes ${w.offset}..${w.offset + w.bytes}`,
          )
          .join(', ')
  const seen = [
    loss.tables.length > 0 ? `wrote ${loss.tables.join(', ')}` : '',
    loss.ids.length > 0 ? `ids ${loss.ids.join(', ')}` : '',
  ].filter(Boolean)
  const why = loss.reason ? `no longer applies: ${loss.reason}` : 'no intact copy'
  return `LOST ${which}: ${why} (${where})${seen.length > 0 ? `; ${seen.join('; ')}` : ''}`
}

function lostChanges(
  replay: ReplayResult,
  renamed: ReadonlyMap<string, string>,
): UnrecoverableChanges[] {
  const foundAt = Date.now()
  const lost = replay.holes.map(({ first, last, damage }) => loss(first, last, damage, foundAt))
  if (replay.tail.length > 0) lost.push(loss(replay.lastSeq + 1, null, replay.tail, foundAt))
  for (const { seq, segment, offset, reason, seen } of replay.failures) {
    const where = [{ segment, offset, bytes: 0 }]
    lost.push({ first: seq, last: seq, where, tables: seen.tables, ids: seen.ids, reason, foundAt })
  }
  lost.sort((a, b) => a.first - b.first)
  for (const entry of lost) {
    for (const where of entry.where) where.segment = renamed.get(where.segment) ?? where.segment
  }
  return lost
}

function loss(
  first: number,
  last: number | null,
  damage: readonly DamageAt[],
  foundAt: number,
): UnrecoverableChanges {
  return {
    first,
    last,
    where: damage.map(({ segment, offset, bytes }) => ({ segment, offset, bytes })),
    tables: [...new Set(damage.flatMap((d) => d.seen.tables))],
    ids: [...new Set(damage.flatMap((d) => d.seen.ids))],
    foundAt,
  }
}

function repairs(
  replay: ReplayResult,
  snapshot: string | null,
  setAsideNames: readonly string[],
): RepairedDamage[] {
  const repaired: RepairedDamage[] = replay.covered.map(({ segment, offset, bytes }) => ({
    file: segment,
    detail: `damaged bytes ${offset}..${offset + bytes} held only changes ${snapshot} has`,
  }))
  for (const { segment, seq } of replay.salvaged) {
    repaired.push({
      file: segment,
      detail: `change ${seq} had a damaged header; its payload checked out and was read back`,
    })
  }
  if (replay.holes.length === 0) {
    for (const name of setAsideNames) {
      repaired.push({
        file: name,
        detail: `rebuilt from ${snapshot ?? 'an empty database'} and the journal`,
      })
    }
  }
  return repaired
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
 * Returns the new names of the segments it set aside.
 */
function settleSegments(
  dir: string,
  segments: readonly { name: string; firstSeq: number }[],
  lastSeq: number,
  log: Logger,
): Map<string, string> {
  const renames = new Map<string, string>()
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
      renames.set(segment.name, renamed)
      log.warn(`journal ${segment.name} holds no intact change; set aside as ${renamed}`)
    }
  }
  return renames
}
