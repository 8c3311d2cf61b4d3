/**
 * One person's templates with where each came from: `enrolled` (an enrolment, never replaced
 * by adaptation) or `adaptive` (learnt from a confident live match, oldest replaced first).
 * Adaptive templates are sealed under the person's own data key like the others, so erasure
 * and re-enrolment (which delete every row of the person) take them too.
 */
import { randomUUID } from 'node:crypto'
import { auditEntry } from '../audit/audit'
import type { Statement, Store } from '../store/types'
import type { FaceKeyring } from './face-keyring'
import { openTemplate, sealTemplate, templateKeyId } from './template-crypto'

export type TemplateSource = 'enrolled' | 'adaptive'

/** A decrypted template of one person. */
export interface PersonTemplate {
  id: string
  source: TemplateSource
  /** When it was stored, epoch ms. */
  createdAt: number
  keyId: string
  vector: Float32Array
}

/** The person's readable templates, oldest first; rows whose key is gone are left out. */
export function personTemplates(
  store: Store,
  keyring: FaceKeyring,
  employeeId: string,
  model: string,
): PersonTemplate[] {
  const rows = store.all<{
    id: string
    source: TemplateSource
    created_at: number
    vector: Uint8Array
  }>(
    `SELECT id, source, created_at, vector FROM face_templates
     WHERE employee_id = ? AND model = ? ORDER BY created_at, rowid`,
    [employeeId, model],
  )
  const out: PersonTemplate[] = []
  for (const row of rows) {
    const keyId = templateKeyId(row.vector)
    const key = keyId === null ? null : keyring.dataKey(keyId, employeeId)
    if (!key) continue
    try {
      const vector = openTemplate(key, row.id, row.vector)
      out.push({ id: row.id, source: row.source, createdAt: row.created_at, keyId: key.id, vector })
    } catch {
      // An altered row never becomes a template; loadAll counts it as unreadable.
    }
  }
  return out
}

/**
 * Stores `vector` as an adaptive template of the person under their current data key,
 * removing `replaces` (an adaptive template) in the same commit, with an audit entry that
 * names counts only. Returns the new template's id.
 */
export function addAdaptiveTemplate(
  store: Store,
  keyring: FaceKeyring,
  change: {
    model: string
    employeeId: string
    keyId: string
    vector: Float32Array
    replaces: string | null
    adaptiveAfter: number
    cap: number
    now: number
  },
): string {
  const { employeeId, keyId, vector, replaces, now } = change
  const key = keyring.dataKey(keyId, employeeId)
  if (!key) throw new Error(`the data key of ${employeeId} is gone`)
  const id = randomUUID()
  const statements: Statement[] = []
  if (replaces) {
    statements.push([
      `DELETE FROM face_templates WHERE id = ? AND employee_id = ? AND source = 'adaptive'`,
      [replaces, employeeId],
    ])
  }
  statements.push(
    [
      `INSERT INTO face_templates (id, employee_id, model, vector, created_at, source)
       VALUES (?, ?, ?, ?, ?, 'adaptive')`,
      [id, employeeId, change.model, sealTemplate(key, id, vector), now],
    ],
    auditEntry(now, 'kiosk', 'faces.adapt', employeeId, {
      adaptive: change.adaptiveAfter,
      cap: change.cap,
      replacedOldest: replaces !== null,
    }),
  )
  store.commit(statements)
  return id
}
