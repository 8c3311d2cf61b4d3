/**
 * Records punches. A punch is acknowledged only after `store.commit` returns, which means it is
 * in the fsynced journal together with its outbox entry.
 */
import { randomUUID } from 'node:crypto'
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { PunchMethod, PunchOutcome, PunchType } from '../../shared/types'
import { auditEntry } from '../audit/audit'
import type { Config } from '../config/config'
import type { KioskPlatform } from '../platform'
import type { Employee } from '../roster/roster'
import type { Statement, Store } from '../store/types'
import type { ForgottenCheckout } from '../../shared/attendance-types'
import { latestEffective, type LedgerRow } from './ledger'
import { decideDirection, isRepeatScan, punchFlags } from './rules'
import { punchInsert, type FaceEvidence, type NewPunch } from './punch-insert'
import { toPunchView, type PunchRow } from './punch-row'
import { shiftOn, siteCalendar, weekFrom, workingDayOf } from './shifts'
import { zonedParts } from './zoned-time'

export type { PunchRow } from './punch-row'
export { toPunchView } from './punch-row'

export type { FaceEvidence } from './punch-insert'

export class Attendance {
  private readonly recordedListeners = new Set<(punch: PunchRow) => void>()

  constructor(
    readonly store: Store,
    private readonly config: Config,
    private readonly platform: KioskPlatform,
    private readonly clock: { readonly offsetMs: number | null; readonly trusted: boolean },
  ) {}

  /**
   * In or out for this person now, or the earlier punch when this scan repeats it. Face punches
   * carry their evidence: the match distance and whether liveness was checked.
   */
  recordPunch(employee: Employee, method: PunchMethod, evidence?: FaceEvidence): PunchOutcome {
    const { attendance, timeZone, site } = this.config
    const now = this.platform.now()
    const week = weekFrom(employee.schedule)
    const previous = latestEffective(this.store, employee.id)
    const last = previous && {
      type: previous.type,
      occurredAt: previous.occurred_at,
      localDate: workingDayOf(previous.occurred_at, week, timeZone),
    }
    if (isRepeatScan(last, now, attendance.duplicateWindowSeconds)) {
      return { status: 'already', punch: toPunchView(previous!) }
    }
    const workingDay = workingDayOf(now, week, timeZone)
    const type = decideDirection(last, workingDay, now, attendance.maxShiftHours * 3_600_000)
    const id = randomUUID()
    this.commit(
      punchInsert({
        id,
        employee,
        type,
        method,
        occurredAt: now,
        timeZone,
        workingDay,
        siteId: site.id,
        flags: punchFlags(type, now, week, siteCalendar(this.config), this.grace()),
        clock: this.clockReading(),
        evidence,
      }),
    )
    const row = this.punch(id)!
    for (const listener of this.recordedListeners) listener(row)
    // An in still open from an earlier day, with nobody asked about it yet: ask now.
    const forgotten =
      previous?.type === 'in' && type === 'in'
        ? this.forgottenCheckout(employee, previous)
        : undefined
    return this.recorded(row, forgotten)
  }

  /** What the kiosk knows about its clock, as each punch records it. */
  clockReading(): NewPunch['clock'] {
    return {
      monotonicMs: this.platform.monotonic(),
      bootId: this.platform.bootId,
      offsetMs: this.clock.offsetMs,
      trusted: this.clock.trusted,
    }
  }

  private forgottenCheckout(employee: Employee, open: LedgerRow): ForgottenCheckout | undefined {
    const asked = this.store.get(`SELECT 1 FROM correction_requests WHERE open_punch_id = ?`, [
      open.id,
    ])
    if (asked) return undefined
    const { timeZone } = this.config
    const week = weekFrom(employee.schedule)
    const date = workingDayOf(open.occurred_at, week, timeZone)
    const shift = shiftOn(date, week, siteCalendar(this.config))
    return {
      openPunchId: open.id,
      date,
      weekday: shift.weekday,
      checkedInAt: zonedParts(open.occurred_at, timeZone).time,
      scheduleEnd:
        shift.end !== null && shift.end > open.occurred_at
          ? zonedParts(shift.end, timeZone).time
          : null,
    }
  }

  /**
   * Calls the listener after every new punch is durable (badge, PIN, face alike); this is the one
   * place punches are recorded, so whoever reacts to them (sync, boards) subscribes here.
   * Returns the unsubscribe function.
   */
  onPunchRecorded(listener: (punch: PunchRow) => void): () => void {
    this.recordedListeners.add(listener)
    return () => this.recordedListeners.delete(listener)
  }

  /**
   * "Check out instead": flips the person's latest punch if it is still inside the switch
   * window. It corrects that record (audited); it never adds a second one.
   */
  switchDirection(punchId: string, employee: Employee): PunchOutcome {
    const row = this.punch(punchId)
    if (!row) throw new ClockfaceError(ErrorCode.PunchUnknown, 'No such punch.')
    const now = this.platform.now()
    const latest = this.latestPunch(row.employee_id)
    if (latest?.id !== row.id || now - row.occurred_at > this.switchWindowMs()) {
      throw new ClockfaceError(ErrorCode.SwitchExpired, 'This punch can no longer be switched.')
    }
    const type: PunchType = row.type === 'in' ? 'out' : 'in'
    const flags = punchFlags(
      type,
      row.occurred_at,
      weekFrom(employee.schedule),
      siteCalendar(this.config),
      this.grace(),
    )
    this.commit([
      [
        `UPDATE punches SET type = ?, late = ?, early = ?, corrected_at = ?,
           correction_reason = 'switched at the kiosk by the person' WHERE id = ?`,
        [type, flags.late ? 1 : 0, flags.early ? 1 : 0, now, row.id],
      ],
      auditEntry(now, `employee:${row.employee_id}`, 'punch.switch', row.id, {
        from: row.type,
        to: type,
      }),
    ])
    return this.recorded(this.punch(row.id)!)
  }

  /** The punch with this id, or undefined. */
  punch(id: string): PunchRow | undefined {
    return this.store.get<PunchRow>(`SELECT * FROM punches WHERE id = ?`, [id])
  }

  private latestPunch(employeeId: string): PunchRow | undefined {
    return latestEffective(this.store, employeeId)
  }

  private recorded(row: PunchRow, forgotten?: ForgottenCheckout): PunchOutcome {
    const until = row.occurred_at + this.switchWindowMs()
    return {
      status: 'recorded',
      punch: toPunchView(row),
      switchableUntil: this.switchWindowMs() > 0 ? new Date(until).toISOString() : null,
      ...(forgotten && { forgotten }),
    }
  }

  commit(statements: Statement[]): void {
    try {
      this.store.commit(statements)
    } catch (error) {
      throw new ClockfaceError(
        ErrorCode.StoreFailed,
        `The punch could not be saved: ${(error as Error).message}`,
      )
    }
  }

  private switchWindowMs(): number {
    return this.config.attendance.switchWindowSeconds * 1000
  }

  grace() {
    const { lateGraceMinutes, earlyGraceMinutes } = this.config.attendance
    return { lateMinutes: lateGraceMinutes, earlyMinutes: earlyGraceMinutes }
  }
}
