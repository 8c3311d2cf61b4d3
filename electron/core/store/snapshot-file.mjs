// @ts-check
/**
 * Snapshot files: a 24-byte header (magic, seq u64, byte length u64, CRC32 u32, all LE) followed
 * by the sql.js export. Written atomically; a file that fails any check is set aside, never loaded.
 */
import fs from 'node:fs'
import path from 'node:path'
import { crc32 } from './journal-codec.mjs'
import { listStoreFiles, setAside, snapshotName, writeFileAtomically } from './store-files.mjs'

/** @typedef {import('sql.js').SqlJsStatic} SqlJsStatic */
/** @typedef {import('sql.js').Database} Database */
/** @typedef {{ warn(message: string): void }} Warner */
/**
 * @typedef {object} LoadedSnapshot
 * @property {Database} db
 * @property {number} seq 0 when no snapshot was usable
 * @property {string | null} name
 * @property {string[]} setAside new names of snapshots that failed their checks
 */

const SNAPSHOT_MAGIC = Uint8Array.of(0xff, 0x43, 0x46, 0x53)
const HEADER_BYTES = 24

/** Writes snapshot `seq` atomically into `dir` and returns its file name. */
export function writeSnapshot(
  /** @type {string} */ dir,
  /** @type {number} */ seq,
  /** @type {Uint8Array} */ dbBytes,
) {
  const header = Buffer.alloc(HEADER_BYTES)
  header.set(SNAPSHOT_MAGIC, 0)
  header.writeBigUInt64LE(BigInt(seq), 4)
  header.writeBigUInt64LE(BigInt(dbBytes.length), 12)
  header.writeUInt32LE(crc32(dbBytes), 20)
  const name = snapshotName(seq)
  writeFileAtomically(dir, name, [header, dbBytes])
  return name
}

/**
 * The database bytes of a snapshot file, after checking magic, seq, length and checksum.
 * @param {string} file
 * @param {number} expectedSeq the seq its name claims
 */
export function readSnapshotBytes(file, expectedSeq) {
  const bytes = fs.readFileSync(file)
  if (bytes.length < HEADER_BYTES) throw new Error('snapshot is shorter than its header')
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) {
    if (bytes[i] !== SNAPSHOT_MAGIC[i]) throw new Error('snapshot has no snapshot magic')
  }
  if (Number(bytes.readBigUInt64LE(4)) !== expectedSeq) throw new Error('snapshot seq mismatch')
  const length = Number(bytes.readBigUInt64LE(12))
  if (length !== bytes.length - HEADER_BYTES) throw new Error('snapshot length mismatch')
  const dbBytes = bytes.subarray(HEADER_BYTES)
  if (crc32(dbBytes) !== bytes.readUInt32LE(20)) throw new Error('snapshot checksum mismatch')
  return dbBytes
}

/**
 * Opens the newest snapshot that passes its checks (and is at most `maxSeq`), setting aside
 * each newer one that fails; an empty database at seq 0 when none is usable.
 * @param {SqlJsStatic} SQL
 * @param {string} dir
 * @param {{ maxSeq?: number, log?: Warner }} [options]
 * @returns {LoadedSnapshot}
 */
export function loadNewestSnapshot(SQL, dir, options = {}) {
  /** @type {string[]} */
  const setAsideNames = []
  for (const snapshot of listStoreFiles(dir).snapshots) {
    if (options.maxSeq !== undefined && snapshot.seq > options.maxSeq) continue
    try {
      const db = openDatabase(SQL, readSnapshotBytes(path.join(dir, snapshot.name), snapshot.seq))
      return { db, seq: snapshot.seq, name: snapshot.name, setAside: setAsideNames }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      try {
        const renamed = setAside(dir, snapshot.name)
        setAsideNames.push(renamed)
        options.log?.warn(
          `snapshot ${snapshot.name} is unusable (${reason}); set aside as ${renamed}`,
        )
      } catch {
        options.log?.warn(`snapshot ${snapshot.name} is unusable (${reason}); could not rename it`)
      }
    }
  }
  return { db: eraseFreedPages(new SQL.Database()), seq: 0, name: null, setAside: setAsideNames }
}

/**
 * Deleted rows are overwritten with zeros, not left in free pages that a snapshot would carry
 * to disk (erased face data, discarded records). The pragma holds per connection, so every
 * database the store or the snapshot worker opens goes through here.
 * @param {import('sql.js').Database} db
 */
function eraseFreedPages(db) {
  db.exec('PRAGMA secure_delete = ON')
  return db
}

/** A sql.js database over the bytes, proven readable by one query. */
function openDatabase(/** @type {SqlJsStatic} */ SQL, /** @type {Uint8Array} */ bytes) {
  const db = new SQL.Database(bytes)
  try {
    db.exec('SELECT count(*) FROM sqlite_master')
    eraseFreedPages(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
