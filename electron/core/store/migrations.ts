/** Schema migrations: each pending step is one journaled commit that also records its version. */
import type { Database } from 'sql.js'
import type { Migration, Statement } from './types'

const LEDGER_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`
const RECORD_VERSION =
  'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)'

/** Versions already applied to the database, read from its `schema_migrations` ledger. */
export function appliedVersions(db: Database): Set<number> {
  const ledger = db.exec(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
  )
  if (ledger.length === 0) return new Set()
  const [rows] = db.exec('SELECT version FROM schema_migrations')
  return new Set((rows?.values ?? []).map(([version]) => Number(version)))
}

/** Migrations not yet applied, in ascending version; rejects duplicate versions. */
export function pendingMigrations(db: Database, migrations: readonly Migration[]): Migration[] {
  const versions = new Set(migrations.map((m) => m.version))
  if (versions.size !== migrations.length) throw new Error('two migrations share a version')
  const applied = appliedVersions(db)
  return migrations
    .filter((migration) => !applied.has(migration.version))
    .sort((a, b) => a.version - b.version)
}

/** Versions the database has that no known migration describes (a newer build wrote it). */
export function unknownVersions(db: Database, migrations: readonly Migration[]): number[] {
  const known = new Set(migrations.map((m) => m.version))
  return [...appliedVersions(db)].filter((version) => !known.has(version))
}

/** The statements of one migration plus the ledger entry, to be committed as one change. */
export function migrationStatements(migration: Migration, appliedAt: number): Statement[] {
  return [
    [LEDGER_TABLE],
    ...migration.statements.map((sql): Statement => [sql]),
    [RECORD_VERSION, [migration.version, migration.description, appliedAt]],
  ]
}
