/** Messages between the store and its snapshot worker thread. */

/** Changes `first..last` that no copy held when the store opened; main lacks them too. */
export interface SeqRange {
  first: number
  last: number
}

/**
 * `replay`: build snapshot `seq` in `dir` from the newest usable snapshot and the sealed journal,
 * refusing if the journal does not hold every change up to `seq` (bar `acceptedHoles`).
 * `write`: write the database bytes main exported as snapshot `seq`.
 */
export type SnapshotRequest =
  | { kind: 'replay'; dir: string; seq: number; acceptedHoles: SeqRange[] }
  | { kind: 'write'; dir: string; seq: number; bytes: Uint8Array }

export type SnapshotReply =
  | {
      ok: true
      name: string | null
      /** The snapshot the build started from, proven intact by loading it; null for none. */
      base: string | null
      setAside: string[]
      warnings: string[]
    }
  | {
      ok: false
      message: string
      /** Set when the journal lacks acknowledged changes: main must snapshot from memory. */
      mismatch?: { base: string | null; setAside: string[]; warnings: string[] }
    }
