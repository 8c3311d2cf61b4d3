/**
 * The upload queue. A punch leaves it only when the CRM has answered for that punch: created
 * or duplicate (done), or rejected (into the dead-letter list, never dropped silently).
 */
import type { PunchRow } from '../attendance/attendance'
import { formatRfc3339, zonedParts } from '../attendance/zoned-time'
import { auditEntry } from '../audit/audit'
import type { Statement, Store } from '../store/types'
import type { DeadLetterView } from '../../shared/types'
import type { UploadOutcome } from '../connectors/connector'
import type { CrmCorrection, CrmPunch } from './crm-client'

export interface QueuedPunch extends Omit<PunchRow, 'method'> {
  method: CrmPunch['method']
  monotonic_ms: number | null
  boot_id: string | null
  server_offset_ms: number | null
  clock_trusted: number
  match_distance: number | null
  liveness: 'passed' | 'not_checked' | null
  correction_kind: 'added' | 'amended' | 'voided' | null
  supersedes: string | null
  correction_reason: string | null
  entered_by: string | null
  entered_at: number | null
  enqueued_at: number
}

/** A punch row the contract cannot carry as it stands; it goes to the dead letters, unsent. */
export class UnsendablePunch extends Error {
  constructor(reason: string) {
    super(`invalid_correction: ${reason}`)
    this.name = 'UnsendablePunch'
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The punch as the contract sends it; throws UnsendablePunch for a correction it cannot carry. */
export function toCrmPunch(row: QueuedPunch): CrmPunch {
  const correction = correctionOf(row)
  return {
    id: row.id,
    employeeId: row.employee_id,
    type: row.type,
    occurredAt: formatRfc3339(row.occurred_at, row.utc_offset_min),
    timeZone: row.time_zone,
    method: row.method,
    siteId: row.site_id,
    ...(row.match_distance !== null ? { matchDistance: row.match_distance } : {}),
    ...(row.liveness !== null ? { liveness: row.liveness } : {}),
    clock: {
      ...(row.monotonic_ms !== null ? { monotonicMs: row.monotonic_ms } : {}),
      ...(row.boot_id !== null ? { bootId: row.boot_id } : {}),
      serverOffsetMs: row.server_offset_ms,
      trusted: row.clock_trusted === 1,
    },
    ...(correction ? { correction } : {}),
  }
}

function correctionOf(row: QueuedPunch): CrmCorrection | undefined {
  if (row.correction_kind === null) return undefined
  const reason = row.correction_reason ?? ''
  if (reason.length < 1 || reason.length > 500)
    throw new UnsendablePunch('the reason must be 1 to 500 characters')
  if (row.entered_by === null || row.entered_at === null)
    throw new UnsendablePunch('who entered the correction, and when, is missing')
  if (row.supersedes !== null && !UUID.test(row.supersedes))
    throw new UnsendablePunch('the punch it supersedes is not a punch id')
  if (row.correction_kind !== 'added' && row.supersedes === null)
    throw new UnsendablePunch(
      `${row.correction_kind === 'amended' ? 'an' : 'a'} ${row.correction_kind} punch must name the punch it supersedes`,
    )
  return {
    kind: row.correction_kind,
    ...(row.supersedes !== null ? { supersedes: row.supersedes } : {}),
    reason,
    enteredBy: row.entered_by,
    enteredAt: formatRfc3339(
      row.entered_at,
      zonedParts(row.entered_at, row.time_zone).offsetMinutes,
    ),
  }
}

export class Outbox {
  constructor(private readonly store: Store) {}

  /** Oldest punches first, only those queued at or before `queuedBefore`. */
  due(limit: number, queuedBefore: number): QueuedPunch[] {
    return this.store.all<QueuedPunch>(
      `SELECT p.*, o.enqueued_at FROM outbox o JOIN punches p ON p.id = o.punch_id
       WHERE o.enqueued_at <= ? ORDER BY o.enqueued_at, o.punch_id LIMIT ?`,
      [queuedBefore, limit],
    )
  }

  /** When the oldest punch still held back (switch window) was queued, or undefined. */
  oldestQueuedAfter(instant: number): number | undefined {
    return (
      this.store.get<{ at: number | null }>(
        `SELECT MIN(enqueued_at) AS at FROM outbox WHERE enqueued_at > ?`,
        [instant],
      )?.at ?? undefined
    )
  }

  /** One punch as queued (or long since uploaded), by id. */
  punch(punchId: string): QueuedPunch | undefined {
    return this.store.get<QueuedPunch>(
      `SELECT p.*, COALESCE(o.enqueued_at, p.occurred_at) AS enqueued_at
       FROM punches p LEFT JOIN outbox o ON o.punch_id = p.id WHERE p.id = ?`,
      [punchId],
    )
  }

  /** Applies the system's answer for a batch in one durable step. */
  settle(
    results: readonly Exclude<UploadOutcome, { status: 'retry' }>[],
    now: number,
  ): { done: number; rejected: number } {
    const statements: Statement[] = []
    let rejected = 0
    for (const result of results) {
      statements.push([`DELETE FROM outbox WHERE punch_id = ?`, [result.id]])
      if (result.status === 'rejected') {
        rejected++
        statements.push(deadLetterStatement(result.id, result.reason, now))
      }
    }
    if (statements.length > 0) this.store.commit(statements)
    return { done: results.length - rejected, rejected }
  }

  /** Moves one punch the CRM will never accept as sent into the dead-letter list. */
  reject(punchId: string, reason: string, now: number): void {
    this.store.commit([
      [`DELETE FROM outbox WHERE punch_id = ?`, [punchId]],
      deadLetterStatement(punchId, reason, now),
    ])
  }

  depth(): { pending: number; oldest: number | null; deadLetters: number } {
    const row = this.store.get<{ pending: number; oldest: number | null }>(
      `SELECT COUNT(*) AS pending, MIN(enqueued_at) AS oldest FROM outbox`,
    )
    const dead = this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letters`)
    return { pending: row?.pending ?? 0, oldest: row?.oldest ?? null, deadLetters: dead?.n ?? 0 }
  }

  deadLetters(): DeadLetterView[] {
    return this.store
      .all<QueuedPunch & { reason: string; rejected_at: number }>(
        `SELECT p.*, d.reason, d.rejected_at FROM dead_letters d JOIN punches p ON p.id = d.punch_id
         ORDER BY d.rejected_at, p.occurred_at, p.id`,
      )
      .map((row) => ({
        punchId: row.id,
        employeeId: row.employee_id,
        employeeName: row.employee_name,
        type: row.type,
        occurredAt: formatRfc3339(row.occurred_at, row.utc_offset_min),
        reason: row.reason,
        rejectedAt: new Date(row.rejected_at).toISOString(),
      }))
  }

  /** Puts a dead letter back in the queue (e.g. after the employee was added at the CRM). */
  retry(punchId: string, actor: string, now: number): boolean {
    if (!this.isDead(punchId)) return false
    this.store.commit([
      [`DELETE FROM dead_letters WHERE punch_id = ?`, [punchId]],
      [`INSERT INTO outbox (punch_id, enqueued_at) VALUES (?, ?)`, [punchId, now]],
      auditEntry(now, actor, 'dead-letter.retry', punchId),
    ])
    return true
  }

  /** Gives up on a dead letter; the punch stays in the local record, the decision is audited. */
  discard(punchId: string, actor: string, reason: string, now: number): boolean {
    if (!this.isDead(punchId)) return false
    this.store.commit([
      [`DELETE FROM dead_letters WHERE punch_id = ?`, [punchId]],
      auditEntry(now, actor, 'dead-letter.discard', punchId, { reason }),
    ])
    return true
  }

  private isDead(punchId: string): boolean {
    return !!this.store.get(`SELECT 1 FROM dead_letters WHERE punch_id = ?`, [punchId])
  }
}

function deadLetterStatement(punchId: string, reason: string, now: number): Statement {
  return [
    `INSERT INTO dead_letters (punch_id, reason, rejected_at) VALUES (?, ?, ?)
     ON CONFLICT(punch_id) DO UPDATE SET reason = excluded.reason, rejected_at = excluded.rejected_at`,
    [punchId, reason.slice(0, 500), now],
  ]
}
