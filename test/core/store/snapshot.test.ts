import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { writeSnapshot } from '../../../electron/core/store/snapshot-file.mjs'
import { segmentName, snapshotName } from '../../../electron/core/store/store-files.mjs'
import {
  filesOf,
  flipByte,
  openPunchStore,
  recordPunches,
  storedPunchIds,
  useTempDirs,
} from './store-fixture'

const tempDir = useTempDirs()

describe('snapshots', () => {
  it('writes a snapshot that the next open loads instead of replaying the journal', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 30)
    await store.snapshot()
    const snapshot = snapshotName(store.sequence)
    expect(filesOf(dir, 'snapshot')).toEqual([snapshot])
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery).toMatchObject({ snapshot, replayed: 0 })
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })

  it('keeps two snapshots and only the journal the older one does not cover', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids: string[] = []
    const snapshotSeqs: number[] = []
    for (let round = 0; round < 3; round++) {
      ids.push(...recordPunches(store, 10))
      await store.snapshot()
      snapshotSeqs.push(store.sequence)
    }
    ids.push(...recordPunches(store, 5))
    const [, older, newest] = snapshotSeqs as [number, number, number]
    expect(filesOf(dir, 'snapshot')).toEqual([snapshotName(older), snapshotName(newest)])
    // Sealed at `newest`: the segment holding older+1..newest, and the one being appended to.
    expect(filesOf(dir, 'journal')).toEqual([segmentName(older + 1), segmentName(newest + 1)])
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery).toMatchObject({ snapshot: snapshotName(newest), replayed: 5 })
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })

  it('leaves nothing of a deleted row in the free pages of a snapshot', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 40)
    await store.snapshot()
    const gone = ids.slice(0, 20)
    for (const id of gone) {
      store.commit([
        ['DELETE FROM outbox WHERE punch_id = ?', [id]],
        ['DELETE FROM punches WHERE id = ?', [id]],
      ])
    }
    await store.snapshot()
    await store.close()
    const snapshots = filesOf(dir, 'snapshot').map((name) => fs.readFileSync(path.join(dir, name)))
    const newest = snapshots.at(-1)!.toString('latin1')
    for (const id of gone) expect(newest.includes(id), id).toBe(false)
    for (const id of ids.slice(20)) expect(newest.includes(id), id).toBe(true)
  })

  it('snapshots in the background every snapshotEvery commits', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir, { snapshotEvery: 10 })
    recordPunches(store, 12)
    await vi.waitFor(() => expect(filesOf(dir, 'snapshot')).toHaveLength(1), { timeout: 10_000 })
    recordPunches(store, 3)
    await store.close()
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('close waits for a snapshot in flight', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    recordPunches(store, 5)
    const snapshot = store.snapshot()
    await store.close()
    expect(filesOf(dir, 'snapshot')).toEqual([snapshotName(store.sequence)])
    await snapshot
  })

  it('sets a corrupt newest snapshot aside and rebuilds from the older one plus the journal', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = [...recordPunches(store, 10)]
    await store.snapshot()
    const older = snapshotName(store.sequence)
    ids.push(...recordPunches(store, 10))
    await store.snapshot()
    const newest = snapshotName(store.sequence)
    ids.push(...recordPunches(store, 5))
    await store.close()
    flipByte(path.join(dir, newest), 5000)

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery.snapshot).toBe(older)
    expect(reopened.recovery.setAside).toEqual([expect.stringMatching(`^${newest}\\.corrupt-`)])
    expect(fs.existsSync(path.join(dir, reopened.recovery.setAside[0]!))).toBe(true)
    expect(reopened.recovery.replayed).toBe(15)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    // The rebuilt store snapshots and compacts normally; the set-aside file is kept.
    await reopened.snapshot()
    const rebuilt = snapshotName(reopened.sequence)
    await reopened.close()
    expect(filesOf(dir, 'snapshot')).toEqual([older, rebuilt])

    const again = await openPunchStore(dir)
    expect(again.recovery).toMatchObject({ snapshot: rebuilt, setAside: [] })
    expect(storedPunchIds(again)).toEqual([...ids].sort())
    await again.close()
  })

  it('sets aside a snapshot whose checksum holds but whose bytes are no database', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 4)
    await store.close()
    const bogus = snapshotName(store.sequence)
    writeSnapshot(dir, store.sequence, new Uint8Array(8192).fill(7))

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery.setAside).toEqual([expect.stringMatching(`^${bogus}\\.corrupt-`)])
    expect(reopened.recovery.snapshot).toBeNull()
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })

  it('removes temp files left by an interrupted snapshot', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 3)
    await store.close()
    const orphan = path.join(dir, `${snapshotName(store.sequence)}.tmp`)
    fs.writeFileSync(orphan, 'half a snapshot')

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery.tempFilesRemoved).toBe(1)
    expect(fs.existsSync(orphan)).toBe(false)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })
})
