// @ts-check
/** The files a store folder holds, how they are named, and how they are made durable. */
import fs from 'node:fs'
import path from 'node:path'

/** @typedef {{ name: string, firstSeq: number }} SegmentFile */
/** @typedef {{ name: string, seq: number }} SnapshotFile */

const SEGMENT_PATTERN = /^journal-(\d+)\.log$/
const SNAPSHOT_PATTERN = /^snapshot-(\d+)\.db$/
const TEMP_SUFFIX = '.tmp'
const SEQ_DIGITS = 12

/** File name of the journal segment whose first record will have `firstSeq`. */
export function segmentName(/** @type {number} */ firstSeq) {
  return `journal-${String(firstSeq).padStart(SEQ_DIGITS, '0')}.log`
}

/** File name of the snapshot holding every change up to and including `seq`. */
export function snapshotName(/** @type {number} */ seq) {
  return `snapshot-${String(seq).padStart(SEQ_DIGITS, '0')}.db`
}

/** Temp name a file is written under before it is renamed into place. */
export function tempName(/** @type {string} */ name) {
  return name + TEMP_SUFFIX
}

/**
 * Segments (oldest first), snapshots (newest first) and leftover temp files in the folder.
 * @param {string} dir
 */
export function listStoreFiles(dir) {
  /** @type {SegmentFile[]} */
  const segments = []
  /** @type {SnapshotFile[]} */
  const snapshots = []
  /** @type {string[]} */
  const temps = []
  for (const name of fs.readdirSync(dir)) {
    const segment = SEGMENT_PATTERN.exec(name)
    const snapshot = SNAPSHOT_PATTERN.exec(name)
    if (segment) segments.push({ name, firstSeq: Number(segment[1]) })
    else if (snapshot) snapshots.push({ name, seq: Number(snapshot[1]) })
    else if (name.endsWith(TEMP_SUFFIX)) temps.push(name)
  }
  segments.sort((a, b) => a.firstSeq - b.firstSeq)
  snapshots.sort((a, b) => b.seq - a.seq)
  return { segments, snapshots, temps }
}

/** Makes file creations, renames and deletions in `dir` durable. */
export function fsyncDirectory(/** @type {string} */ dir) {
  // Windows cannot open a directory for fsync; NTFS journals its metadata itself.
  if (process.platform === 'win32') return
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Flushes a file's data to disk; used on files a previous process may not have synced. */
export function fsyncFile(/** @type {string} */ file) {
  const fd = fs.openSync(file, 'r+')
  try {
    fs.fdatasyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Writes all of `bytes` at `position`, looping over short writes. */
export function writeFully(
  /** @type {number} */ fd,
  /** @type {Uint8Array} */ bytes,
  /** @type {number} */ position,
) {
  let done = 0
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done)
  }
}

/**
 * Writes a file so that it either exists complete or not at all: temp file, fsync, rename,
 * fsync the directory.
 * @param {string} dir
 * @param {string} name
 * @param {readonly Uint8Array[]} parts written back to back
 */
export function writeFileAtomically(dir, name, parts) {
  const temp = path.join(dir, tempName(name))
  const fd = fs.openSync(temp, 'w')
  try {
    let position = 0
    for (const part of parts) {
      writeFully(fd, part, position)
      position += part.length
    }
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(temp, path.join(dir, name))
  fsyncDirectory(dir)
}

/**
 * Renames a damaged file to `<name>.corrupt-<time>` so it is kept for inspection but never
 * loaded again; returns the new name.
 * @param {string} dir
 * @param {string} name
 */
export function setAside(dir, name) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const renamed = `${name}.corrupt-${stamp}`
  fs.renameSync(path.join(dir, name), path.join(dir, renamed))
  return renamed
}
