/** Background snapshots: one at a time in the worker thread, each checked, then compaction. */
import type { Logger } from '../logger'
import { compactStoreFiles } from './compaction'
import type { SeqRange } from './snapshot-protocol'
import { runSnapshotWorker } from './snapshot-thread'

export interface SnapshotterOptions {
  dir: string
  workerPath: string | URL
  log: Logger
  /** Changes that were already lost when the store opened: a snapshot may lack them too. */
  acceptedHoles: SeqRange[]
  /** Seq of the newest snapshot known to be on disk (0 when none). */
  newestSeq: number
  /**
   * Seals the journal and exports main's database: what main acknowledged, whatever the disk
   * holds. Used only when the journal on disk lacks acknowledged changes.
   */
  exportDatabase: () => { seq: number; bytes: Uint8Array }
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
    const { dir, workerPath, log, acceptedHoles } = this.options
    let reply = await runSnapshotWorker(workerPath, { kind: 'replay', dir, seq, acceptedHoles })
    let written = seq
    if (!reply.ok && reply.mismatch) {
      const { base, setAside, warnings } = reply.mismatch
      for (const warning of warnings) log.warn(warning)
      log.error(
        `snapshot ${seq}: ${reply.message}; writing the snapshot from memory, which holds every ` +
          'acknowledged change',
      )
      const exported = this.options.exportDatabase()
      written = exported.seq
      const write = await runSnapshotWorker(workerPath, { kind: 'write', dir, ...exported })
      reply = write.ok ? { ...write, base, setAside, warnings: [] } : write
    }
    if (!reply.ok) throw new Error(`snapshot ${written} failed: ${reply.message}`)
    for (const warning of reply.warnings) log.warn(warning)
    this.newestSeq = written
    compactStoreFiles(dir, log, reply.base)
    log.info(`snapshot ${reply.name} written`)
  }
}
