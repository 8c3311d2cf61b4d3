/**
 * Corrections (补签): an admin adds a missing punch, amends one or voids one, always with a
 * reason. Nothing is edited: each correction is a new punch naming what it supersedes, uploaded
 * like any other and audited in the same commit.
 */
import { randomUUID } from 'node:crypto'
import type { CorrectionInput } from '../../shared/attendance-types'
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { PunchType } from '../../shared/types'
import { auditEntry } from '../audit/audit'
import type { Config } from '../config/config'
import type { Employee, Roster } from '../roster/roster'
import type { Statement } from '../store/types'
import type { Attendance } from './attendance'
import { isEffective, ledgerRow, type LedgerRow } from './ledger'
import { punchInsert } from './punch-insert'
import { punchFlags } from './rules'
import { siteCalendar, weekFrom, workingDayOf } from './shifts'

/** Who acts, as the audit trail names them (e.g. 'employee:E7', 'break-glass'). */
export interface Actor {
  id: string
}

/** A correction about to be written. */
export interface CorrectionPunch {
  employee: Employee
  type: PunchType
  at: number
  method: 'manual' | 'auto'
  kind: 'added' | 'amended' | 'voided'
  supersedes: string | null
  reason: string
  actor: Actor
}

export class Corrections {
  constructor(
    private readonly attendance: Attendance,
    private readonly roster: Roster,
    private readonly config: Config,
    private readonly now: () => number,
  ) {}

  /** Applies an admin's correction; returns the new punch. */
  correct(input: CorrectionInput, actor: Actor): LedgerRow {
    const reason = input.reason.trim()
    if (input.kind === 'added') {
      const employee = this.person(input.employeeId)
      const at = this.instant(input.at)
      return this.write({
        employee,
        type: input.type,
        at,
        method: 'manual',
        kind: 'added',
        supersedes: null,
        reason,
        actor,
      })
    }
    const target = this.correctable(input.punchId)
    const employee = this.person(target.employee_id)
    if (input.kind === 'amended') {
      const at = this.instant(input.at)
      return this.write({
        employee,
        type: input.type,
        at,
        method: 'manual',
        kind: 'amended',
        supersedes: target.id,
        reason,
        actor,
      })
    }
    // A void stands where the punch stood, so it lands on the same day for whoever reads it.
    return this.write({
      employee,
      type: target.type,
      at: target.occurred_at,
      method: 'manual',
      kind: 'voided',
      supersedes: target.id,
      reason,
      actor,
    })
  }

  /** Writes a correction punch with its audit entry and any extra statements, in one commit. */
  write(punch: CorrectionPunch, extra: readonly Statement[] = [], id = randomUUID()): LedgerRow {
    const { timeZone, site } = this.config
    const week = weekFrom(punch.employee.schedule)
    const enteredAt = this.now()
    this.attendance.commit([
      ...punchInsert({
        id,
        employee: punch.employee,
        type: punch.type,
        method: punch.method,
        occurredAt: punch.at,
        timeZone,
        workingDay: workingDayOf(punch.at, week, timeZone),
        siteId: site.id,
        flags:
          punch.kind === 'voided'
            ? { late: false, early: false }
            : punchFlags(
                punch.type,
                punch.at,
                week,
                siteCalendar(this.config),
                this.attendance.grace(),
              ),
        clock: this.attendance.clockReading(),
        correction: {
          kind: punch.kind,
          supersedes: punch.supersedes,
          reason: punch.reason,
          enteredBy: punch.actor.id,
          enteredAt,
        },
      }),
      auditEntry(
        enteredAt,
        punch.actor.id,
        `punch.${punch.kind === 'added' && punch.method === 'auto' ? 'auto-checkout' : punch.kind}`,
        id,
        {
          employeeId: punch.employee.id,
          type: punch.type,
          at: new Date(punch.at).toISOString(),
          supersedes: punch.supersedes,
          reason: punch.reason,
        },
      ),
      ...extra,
    ])
    return ledgerRow(this.attendance.store, id)!
  }

  /** An effective punch that may be amended or voided. */
  correctable(punchId: string): LedgerRow {
    const row = ledgerRow(this.attendance.store, punchId)
    if (!row) throw new ClockfaceError(ErrorCode.PunchUnknown, 'No such punch.')
    if (!isEffective(row)) {
      throw new ClockfaceError(
        ErrorCode.PunchSuperseded,
        'This punch was already corrected or voided; correct its latest version.',
        { supersededBy: row.superseded_by },
      )
    }
    return row
  }

  person(employeeId: string): Employee {
    const employee = this.roster.byId(employeeId)
    if (!employee) throw new ClockfaceError(ErrorCode.EmployeeUnknown, 'No such person.')
    return employee
  }

  /** A correction's time: a real instant, not in the future. */
  private instant(text: string): number {
    const at = Date.parse(text)
    if (!Number.isFinite(at)) {
      throw new ClockfaceError(ErrorCode.CorrectionInvalid, 'The time is not a real date and time.')
    }
    if (at > this.now()) {
      throw new ClockfaceError(ErrorCode.CorrectionInvalid, 'A correction cannot be in the future.')
    }
    return at
  }
}
