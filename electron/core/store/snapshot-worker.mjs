// @ts-check
/**
 * Worker thread that builds snapshots off the main thread: loads the newest usable snapshot,
 * replays the sealed journal segments up to S, checks that every change up to S was there,
 * exports and writes the result atomically; or writes bytes main exported. Serves requests one
 * at a time for as long as the store keeps it. Plain JavaScript so it runs unchanged under Node,
 * tsx, vitest and the Electron bundle.
 */
import { parentPort } from 'node:worker_threads'
import { replayJournal } from './replay.mjs'
import { loadNewestSnapshot, writeSnapshot } from './snapshot-file.mjs'
import { loadSqlJs } from './sql-engine.mjs'

/** @typedef {import('./snapshot-protocol').SnapshotRequest} SnapshotRequest */
/** @typedef {import('./snapshot-protocol').SnapshotReply} SnapshotReply */
/** @typedef {import('./snapshot-protocol').SeqRange} SeqRange */

/**
 * Carries out one request and describes what it did.
 * @param {SnapshotRequest} request
 * @returns {Promise<SnapshotReply>}
 */
async function serve(request) {
  if (request.kind === 'write') {
    const name = writeSnapshot(request.dir, request.seq, request.bytes)
    return { ok: true, name, base: null, setAside: [], warnings: [] }
  }
  const SQL = await loadSqlJs()
  /** @type {string[]} */
  const warnings = []
  const log = {
    warn: (/** @type {string} */ message) => warnings.push(message),
    error: (/** @type {string} */ message, /** @type {unknown} */ error) =>
      warnings.push(error instanceof Error ? `${message}: ${error.message}` : message),
  }
  const base = loadNewestSnapshot(SQL, request.dir, { maxSeq: request.seq, log })
  try {
    if (base.seq === request.seq) {
      return { ok: true, name: base.name, base: base.name, setAside: base.setAside, warnings }
    }
    const replay = replayJournal(base.db, request.dir, {
      afterSeq: base.seq,
      upToSeq: request.seq,
      log,
    })
    // A snapshot is trusted in place of the journal: one missing a change main acknowledged
    // would make that loss silent and, once compaction runs, permanent.
    const missing = replay.holes.filter((hole) => !within(hole, request.acceptedHoles))
    if (missing.length > 0 || replay.failed > 0) {
      const what = missing.map(({ first, last }) => (first === last ? first : `${first}..${last}`))
      return {
        ok: false,
        message:
          missing.length > 0
            ? `journal lacks change(s) ${what.join(', ')} after ${base.name ?? 'an empty database'}`
            : `${replay.failed} journal change(s) no longer apply`,
        mismatch: { base: base.name, setAside: base.setAside, warnings },
      }
    }
    const name = writeSnapshot(request.dir, request.seq, base.db.export())
    return { ok: true, name, base: base.name, setAside: base.setAside, warnings }
  } finally {
    base.db.close()
  }
}

/** True when every seq of `hole` lies in one of the accepted ranges. */
function within(/** @type {SeqRange} */ hole, /** @type {SeqRange[]} */ accepted) {
  return accepted.some((range) => range.first <= hole.first && hole.last <= range.last)
}

const port = parentPort
if (!port) throw new Error('snapshot-worker must run as a worker thread')
/** @type {Promise<unknown>} */
let queue = Promise.resolve()
port.on('message', (/** @type {{ id: number, request: SnapshotRequest }} */ { id, request }) => {
  queue = queue
    .then(() => serve(request))
    .then(
      (reply) => port.postMessage({ id, reply }),
      (/** @type {unknown} */ error) =>
        port.postMessage({
          id,
          reply: /** @type {SnapshotReply} */ ({
            ok: false,
            message: error instanceof Error ? error.message : String(error),
          }),
        }),
    )
})
