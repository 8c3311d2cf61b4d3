/**
 * Records punches. A punch is acknowledged only after `store.commit` returns, which means it is
 * in the fsynced journal together with its outbox entry.
 */
import { randomUUID } from 'node:crypto'
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { PunchMethod, PunchOutcome, PunchType, PunchView } from '../../shared/types'
import { auditEntry } from '../audit/audit'
import type { Config } from '../config/config'
import type { KioskPlatform } from '../platform'
import type { Employee } from '../roster/roster'
import type { Statement, Store } from '../store/types'
import { decideDirection, isRepeatScan, scheduleFlags } from './rules'
import { formatRfc3339, zonedParts } from './zoned-time'

export interface FaceEvidence {
  /** Distance to the nearest template of the person; lower is closer. */
  matchDistance: number
  liveness: 'passed' | 'not_checked'
}

export interface PunchRow {
  id: string
  employee_id: string
  employee_name: string
  type: PunchType
  method: PunchMethod
  occurred_at: number
  utc_offset_min: number
  time_zone: string
  local_date: string
  site_id: string
  late: number
  early: number
  corrected_at: number | null
}

/** The punch as the screen shows it. */
export function toPunchView(row: PunchRow): PunchView {
  return {
    id: row.id,
    employeeId: row.employee_id,
    employeeName: row.employee_name,
    type: row.type,
    method: row.method,
    occurredAt: formatRfc3339(row.occurred_at, row.utc_offset_min),
    localTime: formatRfc3339(row.occurred_at, row.utc_offset_min).slice(11, 16),
    localDate: row.local_date,
    late: row.late === 1,
    early: row.early === 1,
    corrected: row.corrected_at !== null,
  }
}

export class Attendance {
  private readonly recordedListeners = new Set<(punch: PunchRow) => void>()

  constructor(
    private readonly store: Store,
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
    const previous = this.latestPunch(employee.id)
    const last = previous && {
      type: previous.type,
      occurredAt: previous.occurred_at,
      localDate: previous.local_date,
    }
    if (isRepeatScan(last, now, attendance.duplicateWindowSeconds)) {
      return { status: 'already', punch: toPunchView(previous!) }
    }
    const local = zonedParts(now, timeZone)
    const type = decideDirection(last, local.date)
    const flags = scheduleFlags(type, now, timeZone, employee.schedule, this.grace())
    const id = randomUUID()
    this.commit([
      [
        `INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
           utc_offset_min, time_zone, local_date, site_id, late, early, monotonic_ms, boot_id,
           server_offset_ms, clock_trusted, match_distance, liveness)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          employee.id,
          employee.name,
          type,
          method,
          now,
          local.offsetMinutes,
          timeZone,
          local.date,
          site.id,
          flags.late ? 1 : 0,
          flags.early ? 1 : 0,
          this.platform.monotonic(),
          this.platform.bootId,
          this.clock.offsetMs,
          this.clock.trusted ? 1 : 0,
          evidence?.matchDistance ?? null,
          evidence?.liveness ?? null,
        ],
      ],
      [`INSERT INTO outbox (punch_id, enqueued_at) VALUES (?, ?)`, [id, now]],
    ])
    const row = this.punch(id)!
    for (const listener of this.recordedListeners) listener(row)
    return this.recorded(row)
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
    const flags = scheduleFlags(
      type,
      row.occurred_at,
      row.time_zone,
      employee.schedule,
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
    return this.store.get<PunchRow>(
      `SELECT * FROM punches WHERE employee_id = ? ORDER BY occurred_at DESC, rowid DESC LIMIT 1`,
      [employeeId],
    )
  }

  private recorded(row: PunchRow): PunchOutcome {
    const until = row.occurred_at + this.switchWindowMs()
    return {
      status: 'recorded',
      punch: toPunchView(row),
      switchableUntil: this.switchWindowMs() > 0 ? new Date(until).toISOString() : null,
    }
  }

  private commit(statements: Statement[]): void {
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

  private grace() {
    const { lateGraceMinutes, earlyGraceMinutes } = this.config.attendance
    return { lateMinutes: lateGraceMinutes, earlyMinutes: earlyGraceMinutes }
  }
}
