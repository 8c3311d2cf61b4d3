/**
 * Templates of the previous version were all sealed under the one face key, so erasing a
 * person left copies (in journal segments, snapshots, free pages) that key still opened. On
 * open they move to per-person keys in one commit, and then that key is destroyed, which makes
 * every old copy of every template unreadable. A crash before the commit leaves the old rows
 * and the old key (the next start does it again); a crash after it leaves only the old key
 * file, which the next start destroys.
 */
import { auditEntry } from '../audit/audit'
import type { Logger } from '../logger'
import type { Statement, Store } from '../store/types'
import { eraseFaceData } from './face-data'
import { destroyLegacyFaceKey } from './face-key'
import type { FaceKeys } from './face-keyring'
import { isLegacyTemplate, openLegacyTemplate, sealTemplate } from './template-crypto'

interface Row {
  id: string
  employee_id: string
  vector: Uint8Array
}

/** Moves the previous version's templates to per-person keys and destroys its face key. */
export function moveLegacyTemplates(
  store: Store,
  keys: FaceKeys,
  dataDir: string,
  now: number,
  log: Logger,
): void {
  const rows = store
    .all<Row>(`SELECT id, employee_id, vector FROM face_templates`)
    .filter((row) => isLegacyTemplate(row.vector))
  if (rows.length > 0) moveRows(store, keys, rows, now, log)
  if (destroyLegacyFaceKey(dataDir)) {
    log.info("faces: the previous version's shared face key is destroyed")
  }
  keys.legacyKey = null
}

function moveRows(store: Store, keys: FaceKeys, rows: Row[], now: number, log: Logger): void {
  const readable = new Map<string, { id: string; vector: Float32Array }[]>()
  const unreadable: string[] = []
  for (const row of rows) {
    try {
      if (!keys.legacyKey) throw new Error('no key')
      const vector = openLegacyTemplate(keys.legacyKey, row.employee_id, row.id, row.vector)
      readable.set(row.employee_id, [
        ...(readable.get(row.employee_id) ?? []),
        { id: row.id, vector },
      ])
    } catch {
      unreadable.push(row.id)
    }
  }
  const people = [...readable.keys()]
  const dataKeys = keys.keyring.create(people)
  const statements: Statement[] = []
  for (const key of dataKeys) {
    for (const { id, vector } of readable.get(key.employeeId)!) {
      statements.push([
        `UPDATE face_templates SET vector = ? WHERE id = ?`,
        [sealTemplate(key, id, vector), id],
      ])
    }
  }
  for (const id of unreadable) statements.push([`DELETE FROM face_templates WHERE id = ?`, [id]])
  // Someone left with no readable template has no face data: their consent goes too.
  const emptied = new Set(rows.map((r) => r.employee_id).filter((id) => !readable.has(id)))
  for (const id of emptied) {
    statements.push(...eraseFaceData(id, 'kiosk', 'unreadable with the previous face key', now))
  }
  statements.push(
    auditEntry(now, 'kiosk', 'faces.rekey', null, {
      people: people.length,
      templates: rows.length - unreadable.length,
      unreadable: unreadable.length,
    }),
  )
  try {
    store.commit(statements)
  } catch (error) {
    const created = new Set(dataKeys.map((k) => k.id))
    keys.keyring.destroy((k) => created.has(k.id))
    throw error
  }
  log.info(
    `faces: ${rows.length - unreadable.length} template(s) of ${people.length} people moved to ` +
      'per-person keys',
  )
  if (unreadable.length > 0) {
    log.error(
      `faces: ${unreadable.length} template(s) of the previous version could not be read and ` +
        `were erased (${emptied.size} people must enrol again)`,
    )
  }
}
