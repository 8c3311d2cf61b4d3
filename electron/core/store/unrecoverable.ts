/**
 * The store's own list of lost changes, kept in the database itself: once compaction deletes the
 * damaged segment, this is what still names the loss at every start and in `cli status`.
 */
import type { Database } from 'sql.js'
import type { Statement, UnrecoverableChanges } from './types'

const LOSS_TABLE = `CREATE TABLE IF NOT EXISTS store_unrecoverable (
  key TEXT PRIMARY KEY,
  found_at INTEGER NOT NULL,
  loss TEXT NOT NULL
)`

/** Statements recording `lost` (each once, however many opens find it again). */
export function recordLossStatements(lost: readonly UnrecoverableChanges[]): Statement[] {
  return [
    [LOSS_TABLE],
    ...lost.map((loss): Statement => [
      'INSERT OR IGNORE INTO store_unrecoverable (key, found_at, loss) VALUES (?, ?, ?)',
      [lossKey(loss), loss.foundAt, JSON.stringify(loss)],
    ]),
  ]
}

/** Every loss recorded so far, oldest first; none when the table does not exist. */
export function recordedLosses(db: Database): UnrecoverableChanges[] {
  const table = db.exec(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'store_unrecoverable'`,
  )
  if (table.length === 0) return []
  const [rows] = db.exec('SELECT loss FROM store_unrecoverable ORDER BY found_at, key')
  return (rows?.values ?? []).map(([loss]) => JSON.parse(String(loss)) as UnrecoverableChanges)
}

function lossKey(loss: UnrecoverableChanges): string {
  const where = loss.where.map((w) => `${w.segment}@${w.offset}+${w.bytes}`).join(',')
  return `${loss.first}..${loss.last ?? 'tail'} ${where}`
}
