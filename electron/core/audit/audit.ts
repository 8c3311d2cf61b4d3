/**
 * The audit trail: who did what to which record, and when. Entries are written in the same
 * commit as the change they describe, so one never exists without the other.
 */
import type { Statement } from '../store/types'

/** The statement that records one audited action; `detail` is JSON or null, never biometric. */
export function auditEntry(
  at: number,
  actor: string,
  action: string,
  subject: string | null,
  detail: Record<string, unknown> | null = null,
): Statement {
  return [
    `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
    [at, actor, action, subject, detail === null ? null : JSON.stringify(detail)],
  ]
}
