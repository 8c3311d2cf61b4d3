/**
 * Forgotten check-outs. At the person's next punch the kiosk asks when they left; the answer is
 * a pending request, never a silent change. A supervisor or admin confirms it (then it becomes
 * an `added` out punch) or rejects it.
 */
import { randomUUID } from 'node:crypto'
import type { CorrectionRequestView, ForgottenAnswer } from '../../shared/attendance-types'
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import { auditEntry } from '../audit/audit'
import type { Config } from '../config/config'
import type { Store } from '../store/types'
import type { Actor, Corrections } from './corrections'
import { latestEffective, ledgerRow, type LedgerRow } from './ledger'
import { addDays, shiftOn, siteCalendar, weekFrom, workingDayOf } from './shifts'
import { formatRfc3339, zonedParts, zonedToInstant } from './zoned-time'

/** How long after their punch a person may still answer the question. */
export const ANSWER_WINDOW_MS = 5 * 60_000

interface RequestRow {
  id: string
  employee_id: string
  employee_name: string
  open_punch_id: string
  open_at: number
  open_day: string
  answer: ForgottenAnswer
  proposed_at: number | null
  asked_at: number
  state: 'pending' | 'confirmed' | 'rejected'
  decided_by: string | null
  decided_at: number | null
}

const REQUEST_SELECT = `SELECT r.*, p.employee_name, p.occurred_at AS open_at, p.local_date AS open_day
  FROM correction_requests r JOIN punches p ON p.id = r.open_punch_id`

export class CheckoutRequests {
  constructor(
    private readonly store: Store,
    private readonly corrections: Corrections,
    private readonly config: Config,
    private readonly now: () => number,
  ) {}

  /** The answer of the person who made `punchId` moments ago, about the in they left open. */
  answer(punchId: string, answer: ForgottenAnswer, time: string | null): CorrectionRequestView {
    const punch = ledgerRow(this.store, punchId)
    if (!punch) throw new ClockfaceError(ErrorCode.PunchUnknown, 'No such punch.')
    const now = this.now()
    if (now - punch.occurred_at > ANSWER_WINDOW_MS) {
      throw new ClockfaceError(
        ErrorCode.AnswerExpired,
        'This question can no longer be answered here.',
      )
    }
    const open = latestEffective(this.store, punch.employee_id, punch.occurred_at - 1)
    if (!open || open.type !== 'in') {
      throw new ClockfaceError(
        ErrorCode.CorrectionInvalid,
        'There is no open check-in to answer for.',
      )
    }
    if (this.store.get(`SELECT 1 FROM correction_requests WHERE open_punch_id = ?`, [open.id])) {
      throw new ClockfaceError(ErrorCode.RequestDecided, 'This check-out was answered already.')
    }
    const proposed = this.proposedAt(open, answer, time, punch.occurred_at)
    const id = randomUUID()
    this.store.commit([
      [
        `INSERT INTO correction_requests (id, employee_id, open_punch_id, answer, proposed_at, asked_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [id, open.employee_id, open.id, answer, proposed, now],
      ],
      auditEntry(now, `employee:${open.employee_id}`, 'checkout.answered', open.id, {
        answer,
        proposedAt: proposed === null ? null : new Date(proposed).toISOString(),
      }),
    ])
    return this.view(this.row(id)!)
  }

  /** Requests, pending ones first and then newest first. */
  list(state: 'pending' | 'all'): CorrectionRequestView[] {
    const where = state === 'pending' ? `WHERE r.state = 'pending'` : ''
    return this.store
      .all<RequestRow>(
        `${REQUEST_SELECT} ${where}
         ORDER BY r.state = 'pending' DESC, r.asked_at DESC LIMIT 500`,
      )
      .map((row) => this.view(row))
  }

  /** Confirms (an out punch is added) or rejects a pending request. */
  decide(
    requestId: string,
    decision: 'confirm' | 'reject',
    time: string | null,
    reason: string | null,
    actor: Actor,
  ): CorrectionRequestView {
    const request = this.row(requestId)
    if (!request) throw new ClockfaceError(ErrorCode.RequestUnknown, 'No such request.')
    if (request.state !== 'pending') {
      throw new ClockfaceError(
        ErrorCode.RequestDecided,
        `This request was ${request.state} already.`,
      )
    }
    const now = this.now()
    const decided = `UPDATE correction_requests SET state = ?, decided_by = ?, decided_at = ?,
      punch_id = ? WHERE id = ? AND state = 'pending'`
    if (decision === 'reject') {
      this.store.commit([
        [decided, ['rejected', actor.id, now, null, request.id]],
        auditEntry(now, actor.id, 'checkout.reject', request.open_punch_id, { reason }),
      ])
      return this.view(this.row(requestId)!)
    }
    const open = this.corrections.correctable(request.open_punch_id)
    const at = time === null ? request.proposed_at : this.resolveTime(open, time)
    if (at === null) {
      throw new ClockfaceError(
        ErrorCode.CorrectionInvalid,
        'The person did not know; enter the time they left.',
      )
    }
    this.checkLeaving(open, at, this.nextPunchAfter(open) ?? now)
    const punchId = randomUUID()
    const said = request.answer === 'unknown' ? "didn't know when" : 'said'
    this.corrections.write(
      {
        employee: this.corrections.person(open.employee_id),
        type: 'out',
        at,
        method: 'manual',
        kind: 'added',
        supersedes: null,
        reason: `Forgot to check out (${said}; confirmed)${reason ? `: ${reason}` : ''}`,
        actor,
      },
      [
        [decided, ['confirmed', actor.id, now, punchId, request.id]],
        auditEntry(now, actor.id, 'checkout.confirm', request.open_punch_id, { requestId }),
      ],
      punchId,
    )
    return this.view(this.row(requestId)!)
  }

  private proposedAt(
    open: LedgerRow,
    answer: ForgottenAnswer,
    time: string | null,
    before: number,
  ): number | null {
    if (answer === 'unknown') return null
    let at: number
    if (answer === 'schedule_end') {
      const employee = this.corrections.person(open.employee_id)
      const week = weekFrom(employee.schedule)
      const day = workingDayOf(open.occurred_at, week, this.config.timeZone)
      const end = shiftOn(day, week, siteCalendar(this.config)).end
      if (end === null) {
        throw new ClockfaceError(ErrorCode.CorrectionInvalid, 'There is no schedule end that day.')
      }
      at = end
    } else {
      if (time === null) throw new ClockfaceError(ErrorCode.CorrectionInvalid, 'Which time?')
      at = this.resolveTime(open, time)
    }
    this.checkLeaving(open, at, before)
    return at
  }

  /** HH:MM on the open day, or the morning after when that is before the check-in (night shifts). */
  private resolveTime(open: LedgerRow, time: string): number {
    const zone = this.config.timeZone
    const date = zonedParts(open.occurred_at, zone).date
    const sameDay = zonedToInstant(date, time, zone)
    return sameDay > open.occurred_at ? sameDay : zonedToInstant(addDays(date, 1), time, zone)
  }

  /** A check-out after the in, before the next punch, and within the longest shift. */
  private checkLeaving(open: LedgerRow, at: number, before: number): void {
    const longest = this.config.attendance.maxShiftHours * 3_600_000
    if (at <= open.occurred_at || at >= before || at - open.occurred_at > longest) {
      throw new ClockfaceError(
        ErrorCode.CorrectionInvalid,
        'The time must be after the check-in, before the next punch, and within a shift.',
      )
    }
  }

  /** When the person next punched after the open in: a check-out must come before it. */
  private nextPunchAfter(open: LedgerRow): number | undefined {
    return this.store.get<{ at: number }>(
      `SELECT occurred_at AS at FROM punches WHERE employee_id = ? AND occurred_at > ?
         AND correction_kind IS NOT 'voided' ORDER BY occurred_at LIMIT 1`,
      [open.employee_id, open.occurred_at],
    )?.at
  }

  private row(id: string): RequestRow | undefined {
    return this.store.get<RequestRow>(`${REQUEST_SELECT} WHERE r.id = ?`, [id])
  }

  private view(row: RequestRow): CorrectionRequestView {
    const offset = (t: number) => zonedParts(t, this.config.timeZone).offsetMinutes
    const iso = (t: number | null) => (t === null ? null : formatRfc3339(t, offset(t)))
    return {
      id: row.id,
      employeeId: row.employee_id,
      employeeName: row.employee_name,
      openPunchId: row.open_punch_id,
      date: row.open_day,
      checkedInAt: iso(row.open_at)!,
      answer: row.answer,
      proposedAt: iso(row.proposed_at),
      askedAt: iso(row.asked_at)!,
      state: row.state,
      decidedBy: row.decided_by,
      decidedAt: iso(row.decided_at),
    }
  }
}
