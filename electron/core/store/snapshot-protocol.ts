/** Messages between the store and its snapshot worker (one worker per snapshot). */

/** Build snapshot `seq` in `dir` from the newest usable snapshot and the sealed journal. */
export interface SnapshotRequest {
  dir: string
  seq: number
  /** The store itself opened over a journal hole, so a snapshot with the same hole is no worse. */
  acceptGap: boolean
}

export type SnapshotReply =
  | { ok: true; name: string | null; setAside: string[]; warnings: string[] }
  | { ok: false; message: string }
