import fs from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { punchStatements } from '../../../bench/store'
import { silentLogger } from '../../../electron/core/logger'
import { openStore } from '../../../electron/core/store/store'
import type { Migration } from '../../../electron/core/store/types'
import {
  filesOf,
  openPunchStore,
  recordPunches,
  storedPunchIds,
  useTempDirs,
} from './store-fixture'

const tempDir = useTempDirs()

describe('store', () => {
  it('commits a punch and reads it back as objects keyed by column', async () => {
    const store = await openPunchStore(await tempDir())
    store.commit(punchStatements('p-1', 1_700_000_000_000))
    expect(store.get('SELECT id, type, occurred_at FROM punches WHERE id = ?', ['p-1'])).toEqual({
      id: 'p-1',
      type: 'in',
      occurred_at: 1_700_000_000_000,
    })
    expect(store.all('SELECT punch_id, attempts FROM outbox')).toEqual([
      { punch_id: 'p-1', attempts: 0 },
    ])
    expect(store.get('SELECT id FROM punches WHERE id = ?', ['nobody'])).toBeUndefined()
    await store.close()
  })

  it('rolls back the whole change when one statement fails, and journals nothing', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const before = store.sequence
    const [punch] = punchStatements('p-1', 1_700_000_000_000)
    expect(() =>
      store.commit([punch!, ['INSERT INTO outbox (punch_id) VALUES (?)', ['p-1']]]),
    ).toThrow(/NOT NULL/)
    expect(storedPunchIds(store)).toEqual([])
    expect(store.sequence).toBe(before)
    store.commit(punchStatements('p-2', 1_700_000_000_000))
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(storedPunchIds(reopened)).toEqual(['p-2'])
    expect(reopened.sequence).toBe(before + 1)
    await reopened.close()
  })

  it('keeps every acknowledged change across close and reopen', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const ids = recordPunches(store, 50)
    const sequence = store.sequence
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(storedPunchIds(reopened)).toEqual([...ids].sort())
    expect(reopened.sequence).toBe(sequence)
    expect(reopened.recovery).toMatchObject({ snapshot: null, replayed: sequence, skipped: [] })
    // Each open starts a fresh segment rather than appending after a possibly torn tail.
    expect(filesOf(dir, 'journal')).toHaveLength(2)
    await reopened.close()
  })

  it('applies each migration once, in version order, even across reopens', async () => {
    const dir = await tempDir()
    const v1: Migration = {
      version: 1,
      description: 'notes',
      statements: ['CREATE TABLE notes (t TEXT)'],
    }
    const v2: Migration = {
      version: 2,
      description: 'note author',
      statements: ['ALTER TABLE notes ADD COLUMN author TEXT'],
    }
    const first = await openStore({ dir, migrations: [v2, v1], log: silentLogger })
    expect((first.recovery as { migrationsApplied?: number[] }).migrationsApplied).toEqual([1, 2])
    first.commit([['INSERT INTO notes (t, author) VALUES (?, ?)', ['hello', 'ann']]])
    await first.close()

    const second = await openStore({ dir, migrations: [v1, v2], log: silentLogger })
    expect((second.recovery as { migrationsApplied?: number[] }).migrationsApplied).toEqual([])
    const v3: Migration = {
      version: 3,
      description: 'index',
      statements: ['CREATE INDEX n ON notes(t)'],
    }
    await second.close()

    const third = await openStore({ dir, migrations: [v1, v2, v3], log: silentLogger })
    expect((third.recovery as { migrationsApplied?: number[] }).migrationsApplied).toEqual([3])
    expect(third.all('SELECT version FROM schema_migrations ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
    ])
    expect(third.all('SELECT t, author FROM notes')).toEqual([{ t: 'hello', author: 'ann' }])
    await third.close()
  })

  it('round-trips blobs, reals, big integers and nulls through journal and snapshot', async () => {
    const dir = await tempDir()
    const templates: Migration = {
      version: 1,
      description: 'templates',
      statements: [
        'CREATE TABLE templates (id TEXT PRIMARY KEY, data BLOB, score REAL, at INTEGER, note TEXT)',
      ],
    }
    const blob = new Uint8Array(4096).map((_, i) => (i * 31) % 256)
    const row = {
      id: 't-1',
      data: blob,
      score: -0.123456789012345,
      at: 1_700_000_000_123,
      note: null,
    }
    const store = await openStore({ dir, migrations: [templates], log: silentLogger })
    store.commit([
      [
        'INSERT INTO templates VALUES (?, ?, ?, ?, ?)',
        [row.id, row.data, row.score, row.at, row.note],
      ],
    ])
    await store.close()

    const replayed = await openStore({ dir, migrations: [templates], log: silentLogger })
    expect(replayed.get('SELECT * FROM templates')).toEqual(row)
    await replayed.snapshot()
    await replayed.close()

    const fromSnapshot = await openStore({ dir, migrations: [templates], log: silentLogger })
    expect(fromSnapshot.recovery.snapshot).not.toBeNull()
    expect(fromSnapshot.get('SELECT * FROM templates')).toEqual(row)
    await fromSnapshot.close()
  })

  it('refuses writes that bypass commit, since they would vanish on restart', async () => {
    const store = await openPunchStore(await tempDir())
    recordPunches(store, 1)
    expect(() => store.all('DELETE FROM punches')).toThrow(/readonly/)
    expect(storedPunchIds(store)).toHaveLength(1)
    await store.close()
  })

  it('fails a commit whose journal append fails, and leaves no trace of it on disk', async () => {
    const dir = await tempDir()
    const store = await openPunchStore(dir)
    const before = store.sequence
    const diskError = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
    const fdatasync = vi.spyOn(fs, 'fdatasyncSync').mockImplementationOnce(() => {
      throw diskError
    })
    try {
      expect(() => store.commit(punchStatements('p-lost', 1_700_000_000_000))).toThrow(diskError)
    } finally {
      fdatasync.mockRestore()
    }
    expect(storedPunchIds(store)).toEqual([])
    expect(store.sequence).toBe(before)
    store.commit(punchStatements('p-kept', 1_700_000_000_000))
    await store.close()

    const reopened = await openPunchStore(dir)
    expect(storedPunchIds(reopened)).toEqual(['p-kept'])
    expect(reopened.recovery.skipped).toEqual([])
    await reopened.close()
  })

  it('refuses further commits when a failed append cannot be undone', async () => {
    const store = await openPunchStore(await tempDir())
    const fdatasync = vi.spyOn(fs, 'fdatasyncSync').mockImplementation(() => {
      throw new Error('EIO: i/o error, fdatasync')
    })
    try {
      expect(() => store.commit(punchStatements('p-1', 0))).toThrow(/EIO/)
    } finally {
      fdatasync.mockRestore()
    }
    expect(() => store.commit(punchStatements('p-2', 0))).toThrow(/reopen/)
    expect(storedPunchIds(store)).toEqual([])
    await store.close()
  })

  it('refuses commits, reads and snapshots after close', async () => {
    const store = await openPunchStore(await tempDir())
    await store.close()
    expect(() => store.commit(punchStatements('late', 0))).toThrow(/closed/)
    expect(() => store.all('SELECT id FROM punches')).toThrow(/closed/)
    await expect(store.snapshot()).rejects.toThrow(/closed/)
    await store.close()
  })
})
