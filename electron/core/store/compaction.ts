/** Drops store files a new snapshot made redundant, keeping enough to survive a bad snapshot. */
import fs from 'node:fs'
import path from 'node:path'
import type { Logger } from '../logger'
import { readSnapshotBytes } from './snapshot-file.mjs'
import { fsyncDirectory, listStoreFiles } from './store-files.mjs'

/**
 * Keeps the two newest snapshots and deletes older ones; deletes a journal segment only when the
 * OLDER kept snapshot covers every record in it, so a damaged newest snapshot can be rebuilt.
 * Deletes nothing unless that older snapshot is proven intact: `verified` names one already
 * loaded, any other is read and checked first, so the only good copy of a change is never lost.
 */
export function compactStoreFiles(dir: string, log: Logger, verified: string | null): void {
  const { segments, snapshots } = listStoreFiles(dir)
  const older = snapshots[1]
  if (!older) return
  const doomed = snapshots.slice(2).map((snapshot) => snapshot.name)
  // A segment holds only seqs below its successor's first seq; the newest one is never sealed.
  segments.forEach((segment, i) => {
    const successor = segments[i + 1]
    if (successor && successor.firstSeq <= older.seq + 1) doomed.push(segment.name)
  })
  if (doomed.length === 0) return
  if (older.name !== verified) {
    try {
      readSnapshotBytes(path.join(dir, older.name), older.seq)
    } catch (error) {
      log.warn(`kept older files: ${older.name} is damaged (${(error as Error).message})`)
      return
    }
  }
  for (const name of doomed) {
    try {
      fs.unlinkSync(path.join(dir, name))
    } catch (error) {
      log.warn(`could not delete ${name}: ${(error as Error).message}`)
    }
  }
  fsyncDirectory(dir)
}
