import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeSegment, encodeRecord } from '../../../electron/core/store/journal-codec.mjs'
import {
  filesOf,
  flipByte,
  openPunchStore,
  recordOffsets,
  recordPunches,
  storedPunchIds,
  useTempDirs,
} from './store-fixture'

const tempDir = useTempDirs()

/** The seq and statements of each record decoded, without where they were found. */
function changes(bytes: Uint8Array) {
  return decodeSegment(bytes).records.map(({ seq, statements }) => ({ seq, statements }))
}

describe('journal framing', () => {
  const records = [1, 2, 3].map((seq) => ({
    seq,
    statements: [['INSERT INTO t VALUES (?, ?)', [seq, new Uint8Array([seq, 0, 255])]]] as const,
  }))
  const frames = records.map((record) => encodeRecord(record))
  const segment = Buffer.concat(frames)

  it('decodes every record it encoded, blobs included', () => {
    expect(decodeSegment(segment)).toMatchObject({
      damaged: [],
      skippedRecords: 0,
      skippedBytes: 0,
    })
    expect(changes(segment)).toEqual(records)
  })

  it('keeps every complete record whatever byte a write was torn at, and never throws', () => {
    for (let cut = 0; cut <= segment.length; cut++) {
      const decoded = decodeSegment(segment.subarray(0, cut))
      let complete = 0
      for (
        let end = 0;
        complete < frames.length && end + frames[complete]!.length <= cut;
        complete++
      ) {
        end += frames[complete]!.length
      }
      expect(changes(segment.subarray(0, cut))).toEqual(records.slice(0, complete))
      expect(decoded.skippedBytes + Buffer.concat(frames.slice(0, complete)).length).toBe(cut)
    }
  })

  it('resynchronises on the next intact record after garbage', () => {
    const garbage = Buffer.from([0xff, 0x43, 0x46, 0x4a, 9, 9, 9, 9, 1, 2, 3])
    const bytes = Buffer.concat([frames[0]!, garbage, frames[1]!, frames[2]!])
    const decoded = decodeSegment(bytes)
    expect(changes(bytes)).toEqual(records)
    expect(decoded).toMatchObject({ skippedRecords: 1, skippedBytes: garbage.length })
  })

  it('reads back a record whose magic or length was hit, since its payload still checks out', () => {
    for (const at of [0, 3, 4, 7]) {
      const bytes = Buffer.concat(frames)
      bytes[frames[0]!.length + at]! ^= 0x10
      const decoded = decodeSegment(bytes)
      expect(changes(bytes)).toEqual(records)
      expect(decoded.records[1]).toMatchObject({ seq: 2, salvaged: true })
      expect(decoded.damaged).toEqual([])
    }
  })

  it('tells a write cut short from a damaged record, and shows what the damage still holds', () => {
    const id = '0b6f5a8e-1c2d-4e3f-9a8b-7c6d5e4f3a2b'
    const punch = encodeRecord({
      seq: 4,
      statements: [['INSERT INTO punches (id) VALUES (?)', [id]]],
    })
    const torn = decodeSegment(Buffer.concat([frames[0]!, punch.subarray(0, punch.length - 3)]))
    expect(torn.damaged).toEqual([
      expect.objectContaining({ offset: frames[0]!.length, torn: true }),
    ])
    const hit = Buffer.concat([frames[0]!, punch])
    hit[hit.length - 3]! ^= 0x01
    expect(decodeSegment(hit).damaged).toEqual([
      {
        offset: frames[0]!.length,
        bytes: punch.length,
        torn: false,
        seen: { seq: 4, tables: ['punches'], ids: [id] },
      },
    ])
  })
})

describe('journal recovery', () => {
  it('opens over a torn tail with garbage after it, keeping every complete record', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 20)
    await store.close()
    const segment = path.join(dir, filesOf(dir, 'journal')[0]!)
    const size = fs.statSync(segment).size
    fs.truncateSync(segment, size - 7)
    fs.appendFileSync(segment, Buffer.from('\u0000garbage after the tear\u00ff'))

    const reopened = await openPunchStore(dir)
    expect(storedPunchIds(reopened)).toEqual(ids.slice(0, 19).sort())
    expect(reopened.recovery.skipped).toEqual([
      { segment: path.basename(segment), records: 1, bytes: expect.any(Number) },
    ])
    // The torn change's seq is free again; a new change takes it and survives the next reopen.
    const [again] = recordPunches(reopened, 1)
    await reopened.close()

    const third = await openPunchStore(dir)
    expect(storedPunchIds(third)).toEqual([...ids.slice(0, 19), again!].sort())
    await third.close()
  })

  it('skips a record with a corrupt byte in the middle and keeps the ones after it', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 20)
    await store.close()
    const segment = path.join(dir, filesOf(dir, 'journal')[0]!)
    // The last 20 records are the punches (migrations come first).
    const offsets = recordOffsets(segment)
    const tenth = offsets.length - 20 + 9
    flipByte(segment, offsets[tenth]! + 40)

    const reopened = await openPunchStore(dir)
    expect(storedPunchIds(reopened)).toEqual(ids.filter((_, i) => i !== 9).sort())
    const damaged = offsets[tenth + 1]! - offsets[tenth]!
    expect(reopened.recovery.skipped).toEqual([
      { segment: path.basename(segment), records: 1, bytes: damaged },
    ])
    expect(reopened.recovery.replayed).toBe(offsets.length - 1)
    await reopened.close()
  })

  it('moves an empty segment left by a crash out of the way of the next one', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 3)
    await store.close()
    // A process that died right after opening leaves an empty segment named for the next seq.
    const first = await openPunchStore(dir)
    const left = filesOf(dir, 'journal')
    await first.close()

    const reopened = await openPunchStore(dir)
    expect(filesOf(dir, 'journal')).toEqual(left)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })
})
