/** The journal segment being appended to; an append is on disk when `append` returns. */
import fs from 'node:fs'
import path from 'node:path'
import { encodeRecord, type JournalRecord } from './journal-codec.mjs'
import { fsyncDirectory, segmentName, writeFully } from './store-files.mjs'

export class JournalWriter {
  private fd: number
  private bytes = 0
  private records = 0
  private damaged: Error | null = null

  private constructor(
    private readonly dir: string,
    private segment: { name: string; fd: number },
  ) {
    this.fd = segment.fd
  }

  /** Creates a fresh segment whose first record will have `firstSeq`; never reuses a file. */
  static create(dir: string, firstSeq: number): JournalWriter {
    return new JournalWriter(dir, createSegment(dir, firstSeq))
  }

  /** File name of the segment currently appended to. */
  get segmentName(): string {
    return this.segment.name
  }

  /** Appends one framed record and fdatasyncs it; on failure nothing of it stays in the file. */
  append(record: JournalRecord): void {
    if (this.damaged) throw this.damaged
    const frame = encodeRecord(record)
    try {
      writeFully(this.fd, frame, this.bytes)
      fs.fdatasyncSync(this.fd)
    } catch (error) {
      this.undoPartialAppend()
      throw error
    }
    this.bytes += frame.length
    this.records++
  }

  /**
   * Closes the current segment for good and continues in a new one starting at `nextSeq`, so a
   * snapshot can be built from sealed segments while appends go on. No-op on an empty segment.
   */
  seal(nextSeq: number): void {
    if (this.records === 0) return
    // Open the next file before letting go of this one, so a failure leaves appends working.
    const next = createSegment(this.dir, nextSeq)
    fs.closeSync(this.fd)
    this.segment = next
    this.fd = next.fd
    this.bytes = 0
    this.records = 0
  }

  /** Closes the segment file. */
  close(): void {
    fs.closeSync(this.fd)
  }

  private undoPartialAppend(): void {
    try {
      fs.ftruncateSync(this.fd, this.bytes)
      fs.fdatasyncSync(this.fd)
    } catch (error) {
      // The failed record may still be whole on disk; replayed later, it would resurrect a change
      // the caller was told had failed. Refuse further appends rather than risk that.
      this.damaged = new Error(
        `journal ${this.segment.name} could not be repaired after a failed write; reopen the store`,
        { cause: error },
      )
    }
  }
}

function createSegment(dir: string, firstSeq: number): { name: string; fd: number } {
  const name = segmentName(firstSeq)
  const fd = fs.openSync(path.join(dir, name), 'wx')
  fsyncDirectory(dir)
  return { name, fd }
}
