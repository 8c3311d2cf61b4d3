/**
 * One person's working day from their effective punches: status, first in, last out, worked,
 * late and early minutes, a missing check-out. Pure: the same punches give the same day.
 */
import type { DayStatus, DaySummaryView } from '../../shared/attendance-types'
import type { PunchType } from '../../shared/types'
import type { ShiftOnDay } from './shifts'
import { zonedParts } from './zoned-time'

export interface DayPunch {
  type: PunchType
  occurredAt: number
  method: string
  /** Counts in the figures (see ledger.ts); non-effective ones only count as corrections. */
  effective: boolean
  correction: boolean
}

export interface DayRules {
  timeZone: string
  lateGraceMinutes: number
  earlyGraceMinutes: number
  maxShiftMs: number
  /** Kiosk wall clock: a day still going is not incomplete yet. */
  now: number
}

export interface DayFigures {
  status: DayStatus
  firstIn: number | null
  lastOut: number | null
  workedMinutes: number
  lateMinutes: number
  earlyMinutes: number
  missingCheckout: boolean
  autoCheckout: boolean
  corrections: number
  /** The in still open at the end of the punches (in now, or left open). */
  openIn: number | null
}

const MINUTE = 60_000

/**
 * The figures of a day. `punches` are that working day's, in time order; `dayEnd` is where the
 * working day stops (see shifts.workingDayBounds).
 */
export function summarizeDay(
  punches: readonly DayPunch[],
  shift: ShiftOnDay,
  dayEnd: number,
  rules: DayRules,
): DayFigures {
  const counted = punches.filter((p) => p.effective)
  const corrections = punches.filter((p) => p.correction).length
  let worked = 0
  let open: DayPunch | null = null
  let lastOut: DayPunch | null = null
  for (const punch of counted) {
    if (punch.type === 'in') {
      // A second in while one is open keeps the first: the time since then was at work.
      open ??= punch
    } else if (open) {
      worked += punch.occurredAt - open.occurredAt
      open = null
      lastOut = punch
    } else {
      lastOut = punch
    }
  }
  const firstIn = counted.find((p) => p.type === 'in')?.occurredAt ?? null
  const over =
    rules.now >= dayEnd || (open !== null && rules.now - open.occurredAt >= rules.maxShiftMs)
  const autoCheckout = !open && lastOut?.method === 'auto'
  const figures: DayFigures = {
    status: 'present',
    firstIn,
    lastOut: lastOut?.occurredAt ?? null,
    workedMinutes: Math.floor(worked / MINUTE),
    lateMinutes: 0,
    earlyMinutes: 0,
    missingCheckout: (open !== null && over) || autoCheckout,
    autoCheckout,
    corrections,
    openIn: open?.occurredAt ?? null,
  }
  if (counted.length === 0) {
    figures.status = shift.holiday ? 'holiday' : shift.scheduled ? 'absent' : 'off'
    return figures
  }
  if (open && over) figures.status = 'incomplete'
  if (!shift.scheduled) return figures
  if (shift.start !== null && firstIn !== null) {
    figures.lateMinutes = pastGrace(firstIn - shift.start, rules.lateGraceMinutes)
  }
  if (shift.end !== null && !open && lastOut && !autoCheckout) {
    figures.earlyMinutes = pastGrace(shift.end - lastOut.occurredAt, rules.earlyGraceMinutes)
  }
  return figures
}

/** Whole minutes of a lateness, or 0 while it is inside the grace period. */
function pastGrace(ms: number, graceMinutes: number): number {
  return ms > graceMinutes * MINUTE ? Math.floor(ms / MINUTE) : 0
}

/** The figures as a report row / board line. */
export function toDayView(
  person: { id: string; name: string },
  date: string,
  figures: DayFigures,
  timeZone: string,
): DaySummaryView {
  const hhmm = (t: number | null) => (t === null ? null : zonedParts(t, timeZone).time)
  return {
    employeeId: person.id,
    employeeName: person.name,
    date,
    status: figures.status,
    firstIn: hhmm(figures.firstIn),
    lastOut: hhmm(figures.lastOut),
    workedMinutes: figures.workedMinutes,
    lateMinutes: figures.lateMinutes,
    earlyMinutes: figures.earlyMinutes,
    missingCheckout: figures.missingCheckout,
    autoCheckout: figures.autoCheckout,
    corrections: figures.corrections,
  }
}
