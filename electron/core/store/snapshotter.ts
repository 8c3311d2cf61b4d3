/** Background snapshots: a worker thread per snapshot, one snapshot at a time, then compaction. */
import { Worker } from 'node:worker_threads'
import type { Logger } from '../logger'
import { compactStoreFiles } from './compaction'
import type { SnapshotReply, SnapshotRequest } from './snapshot-protocol'

export interface SnapshotterOptions {
  dir: string
  workerPath: string | URL
  log: Logger
  /** The store opened over a journal hole; snapshots may carry the same hole. */
  acceptGap: boolean
  /** Seq of the newest snapshot known to be on disk (0 when none). */
  newestSeq: number
}

export class Snapshotter {
  private queue: Promise<void> = Promise.resolve()
  private pending = 0
  private newestSeq: number

  constructor(private readonly options: SnapshotterOptions) {
    this.newestSeq = options.newestSeq
  }

  /** True while a snapshot is running or queued. */
  get busy(): boolean {
    return this.pending > 0
  }

  /**
   * Queues a snapshot of every change up to the seq `seal` returns; `seal` runs when its turn
   * comes and must leave only sealed journal segments at or below that seq.
   */
  request(seal: () => number): Promise<void> {
    this.pending++
    const run = this.queue.then(() => this.build(seal)).finally(() => this.pending--)
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Resolves once nothing is running or queued. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue
  }

  private async build(seal: () => number): Promise<void> {
    const seq = seal()
    if (seq <= this.newestSeq) return
    const { dir, workerPath, log, acceptGap } = this.options
    const reply = await runWorker(workerPath, { dir, seq, acceptGap })
    if (!reply.ok) throw new Error(`snapshot ${seq} failed: ${reply.message}`)
    for (const warning of reply.warnings) log.warn(warning)
    this.newestSeq = seq
    compactStoreFiles(dir, log)
    log.info(`snapshot ${reply.name} written`)
  }
}

function runWorker(workerPath: string | URL, request: SnapshotRequest): Promise<SnapshotReply> {
  return new Promise((resolve, reject) => {
    // The worker is plain JavaScript: no loader flags (tsx, vitest) need to follow it.
    const worker = new Worker(workerPath, { workerData: request, execArgv: [] })
    let replied = false
    worker.once('message', (reply: SnapshotReply) => {
      replied = true
      resolve(reply)
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (!replied) reject(new Error(`snapshot worker exited with code ${code} without replying`))
    })
  })
}
