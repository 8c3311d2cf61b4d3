/**
 * Face templates and consent in the store, each person's templates sealed under their own data
 * key (face-keyring.ts). Templates exist only with recorded consent. Erasing a person destroys
 * their key first, then removes their rows with an audit entry in one commit: if the process
 * dies in between, nothing left can be read, and the next start finishes the erasure.
 */
import { randomUUID } from 'node:crypto'
import { auditEntry } from '../audit/audit'
import type { Statement, Store } from '../store/types'
import { addAdaptiveTemplate, personTemplates, type PersonTemplate } from './adaptive-templates'
import type { FaceKeyring } from './face-keyring'
import {
  openTemplate,
  sealTemplate,
  templateHeadBytes,
  templateKeyId,
  type DataKey,
} from './template-crypto'

/** The model the descriptors come from; a template of another model never matches. */
export const faceModel = 'face-api/face_recognition_model@1.7'

export type ConsentMethod = 'on_screen_signature' | 'paper' | 'electronic'

export interface Consent {
  method: ConsentMethod
  signedAt: number
}

/**
 * Statements that erase a person's face data and consent, audited (who, why) when there was
 * any. They decide from the rows themselves, so replaying the journal gives the same trail.
 */
export function eraseFaceData(
  employeeId: string,
  actor: string,
  reason: string,
  now: number,
): Statement[] {
  return [
    [
      `INSERT INTO audit (at, actor, action, subject, detail)
       SELECT ?, ?, 'faces.delete', ?, ?
       WHERE EXISTS (SELECT 1 FROM face_consents WHERE employee_id = ?)
          OR EXISTS (SELECT 1 FROM face_templates WHERE employee_id = ?)`,
      [now, actor, employeeId, JSON.stringify({ reason }), employeeId, employeeId],
    ],
    [`DELETE FROM face_templates WHERE employee_id = ?`, [employeeId]],
    [`DELETE FROM face_consents WHERE employee_id = ?`, [employeeId]],
  ]
}

export class FaceData {
  constructor(
    private readonly store: Store,
    private readonly keyring: FaceKeyring,
  ) {}

  /** Every stored template, decrypted, by person; unreadable rows are skipped and counted. */
  loadAll(): { byEmployee: Map<string, Float32Array[]>; unreadable: number } {
    const byEmployee = new Map<string, Float32Array[]>()
    const keys = new Map<string, DataKey | null>()
    let unreadable = 0
    const rows = this.store.all<{ id: string; employee_id: string; vector: Uint8Array }>(
      `SELECT t.id, t.employee_id, t.vector FROM face_templates t
       JOIN face_consents c ON c.employee_id = t.employee_id
       JOIN employees e ON e.id = t.employee_id
       WHERE e.active = 1 AND t.model = ?`,
      [faceModel],
    )
    for (const row of rows) {
      try {
        const keyId = templateKeyId(row.vector) ?? ''
        const cached = `${row.employee_id}\u0000${keyId}`
        if (!keys.has(cached)) keys.set(cached, this.keyring.dataKey(keyId, row.employee_id))
        const key = keys.get(cached)
        if (!key) throw new Error('its key is gone')
        const vector = openTemplate(key, row.id, row.vector)
        byEmployee.set(row.employee_id, [...(byEmployee.get(row.employee_id) ?? []), vector])
      } catch {
        unreadable++
      }
    }
    return { byEmployee, unreadable }
  }

  /** Replaces a person's templates under a new key and records their consent, durably. */
  replace(
    employeeId: string,
    vectors: Float32Array[],
    consent: Consent,
    retentionDays: number,
    actor: string,
    now: number,
  ): void {
    // The key is on disk before the templates commit: an acknowledged enrolment survives kill -9.
    const [key] = this.keyring.create([employeeId])
    const statements: Statement[] = [
      [`DELETE FROM face_templates WHERE employee_id = ?`, [employeeId]],
      [`DELETE FROM face_consents WHERE employee_id = ?`, [employeeId]],
      [
        `INSERT INTO face_consents (employee_id, signed_at, method, retention_days, recorded_by)
         VALUES (?, ?, ?, ?, ?)`,
        [employeeId, consent.signedAt, consent.method, retentionDays, actor],
      ],
    ]
    for (const vector of vectors) {
      const id = randomUUID()
      statements.push([
        `INSERT INTO face_templates (id, employee_id, model, vector, created_at) VALUES (?, ?, ?, ?, ?)`,
        [id, employeeId, faceModel, sealTemplate(key!, id, vector), now],
      ])
    }
    statements.push(
      auditEntry(now, actor, 'faces.enrol', employeeId, {
        templates: vectors.length,
        consent: consent.method,
        consentSignedAt: new Date(consent.signedAt).toISOString(),
      }),
    )
    try {
      this.store.commit(statements)
    } catch (error) {
      this.keyring.destroy((k) => k.id === key!.id)
      throw error
    }
    // The earlier enrolment's key goes: its templates, wherever old pages keep them, are noise.
    this.keyring.destroy((k) => k.employeeId === employeeId && k.id !== key!.id)
  }

  /** Erases a person's face data, key first; returns false when there was none. */
  erase(employeeId: string, actor: string, reason: string, now: number): boolean {
    this.keyring.destroy((k) => k.employeeId === employeeId)
    const had = this.store.get(
      `SELECT 1 FROM face_consents WHERE employee_id = ?
       UNION ALL SELECT 1 FROM face_templates WHERE employee_id = ?`,
      [employeeId, employeeId],
    )
    if (!had) return false
    this.store.commit(eraseFaceData(employeeId, actor, reason, now))
    return true
  }

  /** People whose consent has outlived its retention period. */
  expired(now: number): string[] {
    return this.store
      .all<{ employee_id: string }>(
        `SELECT employee_id FROM face_consents WHERE signed_at + retention_days * 86400000 <= ?`,
        [now],
      )
      .map((r) => r.employee_id)
  }

  /** People whose templates lost their key (an erasure a crash cut short), and the inactive. */
  unfinishedErasures(): { employeeId: string; reason: string }[] {
    const rows = this.store.all<{
      employee_id: string
      head: Uint8Array
      n: number
      active: number
    }>(
      `SELECT t.employee_id, substr(t.vector, 1, ${templateHeadBytes}) AS head, length(t.vector) AS n,
         COALESCE(e.active, 0) AS active
       FROM face_templates t LEFT JOIN employees e ON e.id = t.employee_id
       UNION ALL
       SELECT c.employee_id, NULL, 0, COALESCE(e.active, 0)
       FROM face_consents c LEFT JOIN employees e ON e.id = c.employee_id`,
    )
    const keys = new Set(this.keyring.list().map((k) => `${k.employeeId}\u0000${k.id}`))
    const found = new Map<string, string>()
    for (const row of rows) {
      const keyId = row.head ? templateKeyId(row.head, row.n) : null
      if (!row.active) found.set(row.employee_id, 'inactive')
      else if (keyId !== null && !keys.has(`${row.employee_id}\u0000${keyId}`))
        found.set(row.employee_id, 'its key is gone: an erasure cut short, or rows altered')
    }
    return [...found].map(([employeeId, reason]) => ({ employeeId, reason }))
  }

  /** Destroys the data keys no template is sealed under (a roster change erased the rows). */
  destroyUnusedKeys(): number {
    const used = new Set(
      this.store
        .all<{ head: Uint8Array; n: number }>(
          `SELECT DISTINCT substr(vector, 1, ${templateHeadBytes}) AS head, length(vector) AS n FROM face_templates`,
        )
        .map((r) => templateKeyId(r.head, r.n)),
    )
    return this.keyring.destroy((k) => !used.has(k.id))
  }

  /** The person's readable templates of this model, enrolled and adaptive, oldest first. */
  templatesOf(employeeId: string): PersonTemplate[] {
    return personTemplates(this.store, this.keyring, employeeId, faceModel)
  }

  /** Adds an adaptive template (replacing `replaces`), audited; returns its id. */
  addAdaptive(change: Omit<Parameters<typeof addAdaptiveTemplate>[2], 'model'>): string {
    return addAdaptiveTemplate(this.store, this.keyring, { ...change, model: faceModel })
  }

  /** Template count and consent date per person, for the enrolment screen. */
  status(employeeId: string): { templates: number; consentSignedAt: number | null } {
    const t = this.store.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM face_templates WHERE employee_id = ?`,
      [employeeId],
    )
    const c = this.store.get<{ signed_at: number }>(
      `SELECT signed_at FROM face_consents WHERE employee_id = ?`,
      [employeeId],
    )
    return { templates: t?.n ?? 0, consentSignedAt: c?.signed_at ?? null }
  }
}
