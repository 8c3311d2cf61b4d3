import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RECORD_MAGIC } from '../../../electron/core/store/journal-codec.mjs'
import {
  filesOf,
  openPunchStore,
  recordPunches,
  storedPunchIds,
  useTempDirs,
} from './store-fixture'

const tempDir = useTempDirs()

/** Byte offsets at which each record of a segment file starts. */
function recordOffsets(file: string): number[] {
  const bytes = fs.readFileSync(file)
  const offsets: number[] = []
  for (let at = bytes.indexOf(RECORD_MAGIC); at !== -1; at = bytes.indexOf(RECORD_MAGIC, at + 1)) {
    offsets.push(at)
  }
  return offsets
}

/** Flips one bit of the byte at `offset`, in place, as bit rot would. */
function flipBit(file: string, offset: number, bit = 0): void {
  const fd = fs.openSync(file, 'r+')
  try {
    const byte = Buffer.alloc(1)
    fs.readSync(fd, byte, 0, 1, offset)
    byte[0]! ^= 1 << bit
    fs.writeSync(fd, byte, 0, 1, offset)
  } finally {
    fs.closeSync(fd)
  }
}

describe('a damaged journal record', () => {
  it('is never lost while main still holds it: snapshots come from what main acknowledged', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 10)
    const segment = path.join(dir, filesOf(dir, 'journal').at(-1)!)
    const offsets = recordOffsets(segment)
    // The fifth punch of ten, an acknowledged record in the segment being appended to.
    flipBit(segment, offsets[offsets.length - 10 + 4]! + 60)
    await store.snapshot()
    ids.push(...recordPunches(store, 3))
    await store.snapshot()
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })
})
