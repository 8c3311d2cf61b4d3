/** Writing a punch: the row and its outbox entry, one commit, whoever makes it. */
import type { PunchMethod, PunchType } from '../../shared/types'
import type { Statement } from '../store/types'
import { zonedParts } from './zoned-time'

export interface FaceEvidence {
  /** Distance to the nearest template of the person; lower is closer. */
  matchDistance: number
  liveness: 'passed' | 'not_checked'
}

/** A punch about to be written: by the person at the kiosk, by an admin, or by a rule. */
export interface NewPunch {
  id: string
  employee: { id: string; name: string }
  type: PunchType
  method: PunchMethod
  occurredAt: number
  timeZone: string
  workingDay: string
  siteId: string
  flags: { late: boolean; early: boolean }
  clock: {
    monotonicMs: number | null
    bootId: string | null
    offsetMs: number | null
    trusted: boolean
  }
  evidence?: FaceEvidence
  correction?: {
    kind: 'added' | 'amended' | 'voided'
    supersedes: string | null
    reason: string
    enteredBy: string
    enteredAt: number
  }
}

/** The statements that write a punch and queue it for upload, in one commit with the caller's. */
export function punchInsert(punch: NewPunch): Statement[] {
  const offset = zonedParts(punch.occurredAt, punch.timeZone).offsetMinutes
  const c = punch.correction
  return [
    [
      `INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
         utc_offset_min, time_zone, local_date, site_id, late, early, monotonic_ms, boot_id,
         server_offset_ms, clock_trusted, match_distance, liveness, correction_kind, supersedes,
         correction_reason, entered_by, entered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        punch.id,
        punch.employee.id,
        punch.employee.name,
        punch.type,
        punch.method,
        punch.occurredAt,
        offset,
        punch.timeZone,
        punch.workingDay,
        punch.siteId,
        punch.flags.late ? 1 : 0,
        punch.flags.early ? 1 : 0,
        punch.clock.monotonicMs,
        punch.clock.bootId,
        punch.clock.offsetMs,
        punch.clock.trusted ? 1 : 0,
        punch.evidence?.matchDistance ?? null,
        punch.evidence?.liveness ?? null,
        c?.kind ?? null,
        c?.supersedes ?? null,
        c?.reason ?? null,
        c?.enteredBy ?? null,
        c?.enteredAt ?? null,
      ],
    ],
    [
      `INSERT INTO outbox (punch_id, enqueued_at) VALUES (?, ?)`,
      [punch.id, c?.enteredAt ?? punch.occurredAt],
    ],
  ]
}
