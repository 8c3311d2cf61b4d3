/** Builds a store folder directly as one snapshot, without the journal: for big test stores. */
import fs from 'node:fs'
import type { Database } from 'sql.js'
import { migrationStatements } from './migrations'
import { applyStatements } from './replay.mjs'
import { writeSnapshot } from './snapshot-file.mjs'
import { listStoreFiles } from './store-files.mjs'
import { loadSqlJs } from './sql-engine.mjs'
import type { Migration } from './types'

/**
 * Creates a store in the empty folder `dir` with all `migrations` applied and whatever `fill`
 * inserts (bulk SQL on the raw database), saved as snapshot 1; `openStore` then opens it.
 */
export async function seedStore(
  dir: string,
  migrations: readonly Migration[],
  fill: (db: Database) => void,
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true })
  const existing = listStoreFiles(dir)
  if (existing.segments.length > 0 || existing.snapshots.length > 0) {
    throw new Error(`${dir} already holds a store`)
  }
  const SQL = await loadSqlJs()
  const db = new SQL.Database()
  try {
    const ordered = [...migrations].sort((a, b) => a.version - b.version)
    for (const migration of ordered) applyStatements(db, migrationStatements(migration, 0))
    fill(db)
    writeSnapshot(dir, 1, db.export())
  } finally {
    db.close()
  }
}
