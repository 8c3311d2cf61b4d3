/**
 * Face templates and consent in the store. Templates exist only with recorded consent; both
 * go, with an audit entry, in one commit when a person is deleted, deactivated or expires.
 */
import { randomUUID } from 'node:crypto'
import { auditEntry } from '../audit/audit'
import type { Statement, Store } from '../store/types'
import { openTemplate, sealTemplate } from './template-crypto'

/** The model the descriptors come from; a template of another model never matches. */
export const faceModel = 'face-api/face_recognition_model@1.7'

export type ConsentMethod = 'on_screen_signature' | 'paper' | 'electronic'

export interface Consent {
  method: ConsentMethod
  signedAt: number
}

/** Statements that erase a person's face data and consent (no audit entry). */
export function eraseFaceData(employeeId: string): Statement[] {
  return [
    [`DELETE FROM face_templates WHERE employee_id = ?`, [employeeId]],
    [`DELETE FROM face_consents WHERE employee_id = ?`, [employeeId]],
  ]
}

export class FaceData {
  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
  ) {}

  /** Every stored template, decrypted, by person; unreadable rows are skipped and counted. */
  loadAll(): { byEmployee: Map<string, Float32Array[]>; unreadable: number } {
    const byEmployee = new Map<string, Float32Array[]>()
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
        const vector = openTemplate(this.key, row.employee_id, row.id, row.vector)
        byEmployee.set(row.employee_id, [...(byEmployee.get(row.employee_id) ?? []), vector])
      } catch {
        unreadable++
      }
    }
    return { byEmployee, unreadable }
  }

  /** Replaces a person's templates and records their consent, in one durable step. */
  replace(
    employeeId: string,
    vectors: Float32Array[],
    consent: Consent,
    retentionDays: number,
    actor: string,
    now: number,
  ): void {
    const statements: Statement[] = [
      ...eraseFaceData(employeeId),
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
        [id, employeeId, faceModel, sealTemplate(this.key, employeeId, id, vector), now],
      ])
    }
    statements.push(
      auditEntry(now, actor, 'faces.enrol', employeeId, {
        templates: vectors.length,
        consent: consent.method,
        consentSignedAt: new Date(consent.signedAt).toISOString(),
      }),
    )
    this.store.commit(statements)
  }

  /** Erases a person's face data; returns false when there was none. */
  erase(employeeId: string, actor: string, reason: string, now: number): boolean {
    const had = this.store.get(`SELECT 1 FROM face_consents WHERE employee_id = ?`, [employeeId])
    const templates = this.store.get(`SELECT 1 FROM face_templates WHERE employee_id = ?`, [
      employeeId,
    ])
    if (!had && !templates) return false
    this.store.commit([
      ...eraseFaceData(employeeId),
      auditEntry(now, actor, 'faces.delete', employeeId, { reason }),
    ])
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
