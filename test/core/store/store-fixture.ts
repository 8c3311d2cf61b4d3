/** Shared setup for store tests: temp folders removed after each test, punches, file surgery. */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { punchStatements } from '../../../bench/store'
import { silentLogger } from '../../../electron/core/logger'
import { RECORD_MAGIC } from '../../../electron/core/store/journal-codec.mjs'
import { migrations } from '../../../electron/core/store/schema'
import { openStore } from '../../../electron/core/store/store'
import type { Store, StoreOptions } from '../../../electron/core/store/types'

/** Registers cleanup and returns a maker of fresh temp folders under the OS temp dir. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    await Promise.all(
      made.splice(0).map((dir) => fs.promises.rm(dir, { recursive: true, force: true })),
    )
  })
  return async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'clockface-store-'))
    made.push(dir)
    return dir
  }
}

/** Opens the app schema's store in `dir`, quietly. */
export function openPunchStore(dir: string, options: Partial<StoreOptions> = {}): Promise<Store> {
  return openStore({ dir, migrations, log: silentLogger, ...options })
}

/** Records `count` punches, each its own durable commit; returns their ids in order. */
export function recordPunches(store: Store, count: number): string[] {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const id = randomUUID()
    store.commit(punchStatements(id, 1_700_000_000_000 + i * 1000))
    ids.push(id)
  }
  return ids
}

/** Ids of all stored punches, sorted. */
export function storedPunchIds(store: Store): string[] {
  return store.all<{ id: string }>('SELECT id FROM punches ORDER BY id').map((row) => row.id)
}

/** Store files of one kind (`journal`, `snapshot`) in `dir`, sorted by name. */
export function filesOf(dir: string, kind: 'journal' | 'snapshot'): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(`${kind}-`) && /\.(log|db)$/.test(name))
    .sort()
}

/** Byte offsets at which each record of a segment file starts. */
export function recordOffsets(file: string): number[] {
  const bytes = fs.readFileSync(file)
  const offsets: number[] = []
  for (let at = bytes.indexOf(RECORD_MAGIC); at !== -1; at = bytes.indexOf(RECORD_MAGIC, at + 1)) {
    offsets.push(at)
  }
  return offsets
}

/** Flips every bit of the byte at `offset` of a file. */
export function flipByte(file: string, offset: number): void {
  const bytes = fs.readFileSync(file)
  bytes[offset] = (bytes[offset] ?? 0) ^ 0xff
  fs.writeFileSync(file, bytes)
}
