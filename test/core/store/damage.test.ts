import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { storeDir } from '../../../electron/core/kiosk'
import { runCli } from '../../fixtures/cli'
import {
  filesOf,
  openPunchStore,
  recordOffsets,
  recordPunches,
  storedPunchIds,
  useTempDirs,
} from './store-fixture'

const tempDir = useTempDirs()

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

  it('is named at start, in the log and in cli status when no copy holds it, even after compaction', async () => {
    const root = await tempDir()
    const config = path.join(root, 'config.json')
    fs.writeFileSync(config, JSON.stringify({ timeZone: 'Europe/Berlin' }))
    const env = { CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: path.join(root, 'data') }
    const dir = storeDir(env.CLOCKFACE_DATA_DIR)
    const store = await openPunchStore(dir)
    recordPunches(store, 10)
    await store.snapshot()
    const ids = recordPunches(store, 5)
    const lostSeq = store.sequence - 2
    await store.close()
    // The third of the five punches after the snapshot: the journal is its only copy.
    const segment = path.join(dir, filesOf(dir, 'journal').at(-1)!)
    const offsets = recordOffsets(segment)
    flipBit(segment, offsets[offsets.length - 3]! + 80, 3)

    const first = runCli(env, 'status')
    expect(first.code).toBe(0)
    const line = `LOST change ${lostSeq}: no intact copy (${path.basename(segment)} bytes`
    expect(first.err).toContain(line)
    expect(first.err).toContain(ids[2])
    expect(first.out).toMatch(new RegExp(`unrecoverable: +${line.replace(/[().]/g, '\\$&')}`))
    expect(first.out).toContain(`ids ${ids[2]}`)

    const reopened = await openPunchStore(dir)
    const kept = new Set(storedPunchIds(reopened))
    expect(ids.filter((id) => !kept.has(id))).toEqual([ids[2]])
    expect(reopened.recovery.unrecoverable).toEqual([
      expect.objectContaining({
        first: lostSeq,
        last: lostSeq,
        tables: ['punches', 'outbox'],
        ids: [ids[2]],
      }),
    ])
    recordPunches(reopened, 2)
    await reopened.snapshot()
    recordPunches(reopened, 2)
    await reopened.snapshot()
    await reopened.close()
    expect(fs.existsSync(segment)).toBe(false)

    const later = runCli(env, 'status')
    expect(later.out).toContain(line)
    expect(later.out).toContain(`ids ${ids[2]}`)
  })
})
