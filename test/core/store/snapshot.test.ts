import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { writeSnapshot } from '../../../electron/core/store/snapshot-file.mjs'
import { snapshotName } from '../../../electron/core/store/store-files.mjs'
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
    expect(filesOf(dir, 'snapshot')).toEqual([snapshotName(store.sequence)])
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery).toMatchObject({ snapshot: snapshotName(31), replayed: 0 })
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })

  it('keeps two snapshots and only the journal the older one does not cover', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids: string[] = []
    for (let round = 0; round < 3; round++) {
      ids.push(...recordPunches(store, 10))
      await store.snapshot()
    }
    ids.push(...recordPunches(store, 5))
    // Seq 1 is the migration: snapshots at 11, 21, 31; segments start at 1, 12, 22, 32.
    expect(filesOf(dir, 'snapshot')).toEqual([snapshotName(21), snapshotName(31)])
    expect(filesOf(dir, 'journal')).toEqual([
      'journal-000000000022.log',
      'journal-000000000032.log',
    ])
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery).toMatchObject({ snapshot: snapshotName(31), replayed: 5 })
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
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
    expect(filesOf(dir, 'snapshot')).toEqual([snapshotName(6)])
    await snapshot
  })

  it('sets a corrupt newest snapshot aside and rebuilds from the older one plus the journal', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = [...recordPunches(store, 10)]
    await store.snapshot()
    ids.push(...recordPunches(store, 10))
    await store.snapshot()
    ids.push(...recordPunches(store, 5))
    await store.close()
    const newest = snapshotName(21)
    flipByte(path.join(dir, newest), 5000)

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery.snapshot).toBe(snapshotName(11))
    expect(reopened.recovery.setAside).toEqual([expect.stringMatching(`^${newest}\\.corrupt-`)])
    expect(fs.existsSync(path.join(dir, reopened.recovery.setAside[0]!))).toBe(true)
    expect(reopened.recovery.replayed).toBe(15)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    // The rebuilt store snapshots and compacts normally; the set-aside file is kept.
    await reopened.snapshot()
    await reopened.close()
    expect(filesOf(dir, 'snapshot')).toEqual([snapshotName(11), snapshotName(26)])

    const again = await openPunchStore(dir)
    expect(again.recovery).toMatchObject({ snapshot: snapshotName(26), setAside: [] })
    expect(storedPunchIds(again)).toEqual([...ids].sort())
    await again.close()
  })

  it('sets aside a snapshot whose checksum holds but whose bytes are no database', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 4)
    await store.close()
    writeSnapshot(dir, 5, new Uint8Array(8192).fill(7))

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery.setAside).toEqual([
      expect.stringMatching(/^snapshot-0+5\.db\.corrupt-/),
    ])
    expect(reopened.recovery.snapshot).toBeNull()
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })

  it('removes temp files left by an interrupted snapshot', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 3)
    await store.close()
    const orphan = path.join(dir, `${snapshotName(4)}.tmp`)
    fs.writeFileSync(orphan, 'half a snapshot')

    const reopened = await openPunchStore(dir)
    expect(reopened.recovery.tempFilesRemoved).toBe(1)
    expect(fs.existsSync(orphan)).toBe(false)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    await reopened.close()
  })
})
