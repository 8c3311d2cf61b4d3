/** What the admin's day and a person's own record look like across the boundary. Plain JSON. */
import type { PunchType, PunchView } from './types'

export type DayStatus = 'present' | 'absent' | 'incomplete' | 'off' | 'holiday'

/** One person's working day, with corrections applied: a report row and a board line. */
export interface DaySummaryView {
  employeeId: string
  employeeName: string
  /** The working day, YYYY-MM-DD in the site's zone (a night shift's day is the day it starts). */
  date: string
  status: DayStatus
  /** HH:MM local, or null. */
  firstIn: string | null
  lastOut: string | null
  workedMinutes: number
  lateMinutes: number
  earlyMinutes: number
  /** An in with no out, or an out made by the automatic check-out. */
  missingCheckout: boolean
  /** The day's last out was the automatic check-out. */
  autoCheckout: boolean
  /** Corrections entered for the day (added, amended and voided punches). */
  corrections: number
}

/** A punch in a person's history, with what happened to it since. */
export interface LedgerPunchView extends PunchView {
  correction: {
    kind: 'added' | 'amended' | 'voided'
    supersedes: string | null
    reason: string
    enteredBy: string
    enteredAt: string
  } | null
  /** The correction that replaced or voided this punch, if one did. */
  supersededBy: string | null
  /** Counts in the day's figures: neither superseded nor itself a void. */
  effective: boolean
}

/** An "in" whose check-out never came: the person is asked at their next punch. */
export interface ForgottenCheckout {
  openPunchId: string
  /** The working day it was left open on, YYYY-MM-DD, and its ISO weekday. */
  date: string
  weekday: number
  /** When the person checked in, HH:MM. */
  checkedInAt: string
  /** The schedule's end that day, HH:MM, when they have one: the one-tap answer. */
  scheduleEnd: string | null
}

export type ForgottenAnswer = 'schedule_end' | 'time' | 'unknown'

/** A person's answer to "when did you leave?", waiting for a supervisor or admin. */
export interface CorrectionRequestView {
  id: string
  employeeId: string
  employeeName: string
  openPunchId: string
  /** The day left open and when the person checked in (RFC 3339). */
  date: string
  checkedInAt: string
  answer: ForgottenAnswer
  /** The time they say they left (RFC 3339), null for "I don't know". */
  proposedAt: string | null
  askedAt: string
  state: 'pending' | 'confirmed' | 'rejected'
  decidedBy: string | null
  decidedAt: string | null
}

/** The day board: who is in, who is late, who is due and not in, what needs a decision. */
export interface DayBoardView {
  date: string
  /** Kiosk wall clock when the board was made, RFC 3339. */
  at: string
  inNow: DaySummaryView[]
  lateToday: DaySummaryView[]
  notYetIn: DaySummaryView[]
  /** Ins left open on earlier days, newest first. */
  openCheckouts: { employeeId: string; employeeName: string; date: string; checkedInAt: string; punchId: string }[]
  pendingCorrections: CorrectionRequestView[]
}

export interface AttendanceTotals {
  employeeId: string
  employeeName: string
  daysPresent: number
  daysAbsent: number
  lateCount: number
  lateMinutes: number
  earlyCount: number
  earlyMinutes: number
  missingCheckouts: number
  workedMinutes: number
  /** Days present (incomplete included) over days scheduled (holidays excluded), 0–1; null when none scheduled. */
  attendanceRate: number | null
}

export interface AttendanceReportView {
  from: string
  to: string
  days: DaySummaryView[]
  totals: AttendanceTotals[]
}

/** What an admin enters: a missing punch, a new time or type for one, or a void. */
export type CorrectionInput =
  | { kind: 'added'; employeeId: string; type: PunchType; at: string; reason: string }
  | { kind: 'amended'; punchId: string; type: PunchType; at: string; reason: string }
  | { kind: 'voided'; punchId: string; reason: string }

/** A person's own week after a punch: their days and flags, nobody else's. */
export interface MyWeekView {
  employeeName: string
  days: DaySummaryView[]
  punches: PunchView[]
}

export interface AuditEntryView {
  seq: number
  at: string
  actor: string
  action: string
  subject: string | null
  detail: string | null
}
