// @ts-check
/**
 * Worker thread that builds snapshot S off the main thread: loads the newest usable snapshot,
 * replays the sealed journal segments up to S, exports and writes the result atomically.
 * Plain JavaScript so it runs unchanged under Node, tsx, vitest and the Electron bundle.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { replayJournal } from './replay.mjs'
import { loadNewestSnapshot, writeSnapshot } from './snapshot-file.mjs'
import { loadSqlJs } from './sql-engine.mjs'

/** @typedef {import('./snapshot-protocol').SnapshotRequest} SnapshotRequest */
/** @typedef {import('./snapshot-protocol').SnapshotReply} SnapshotReply */

/**
 * Builds the snapshot the request asks for and describes what it did.
 * @returns {Promise<SnapshotReply>}
 */
async function buildSnapshot(/** @type {SnapshotRequest} */ request) {
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
      return { ok: true, name: base.name, setAside: base.setAside, warnings }
    }
    const replay = replayJournal(base.db, request.dir, {
      afterSeq: base.seq,
      upToSeq: request.seq,
      log,
    })
    // Writing a snapshot over a hole would make the loss permanent once compaction runs.
    if (replay.gap && !request.acceptGap) {
      const { after, before } = replay.gap
      throw new Error(`journal is missing changes ${after + 1}..${before - 1} after ${base.name}`)
    }
    const name = writeSnapshot(request.dir, request.seq, base.db.export())
    return { ok: true, name, setAside: base.setAside, warnings }
  } finally {
    base.db.close()
  }
}

const port = parentPort
if (!port) throw new Error('snapshot-worker must run as a worker thread')
buildSnapshot(/** @type {SnapshotRequest} */ (workerData)).then(
  (reply) => port.postMessage(reply),
  (/** @type {unknown} */ error) =>
    port.postMessage(
      /** @type {SnapshotReply} */ ({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      }),
    ),
)
