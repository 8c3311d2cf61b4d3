/**
 * The admin's day behind the `attendance:` channel: the board, a person's punches, corrections,
 * forgotten check-outs and reports. Everything but the person's own answer and week needs admin
 * mode, checked here in core.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { AdminPermission } from '../../shared/types'
import type { AdminGuard } from '../admin/admin-session'
import type { Config } from '../config/config'
import type { Handlers, Caller } from '../gate'
import type { Roster } from '../roster/roster'
import type { Store } from '../store/types'
import type { CheckoutRequests } from './checkout-requests'
import { ANSWER_WINDOW_MS } from './checkout-requests'
import type { Actor, Corrections } from './corrections'
import type { DayBoard } from './day-board'
import { ledgerBetween, ledgerRow, toLedgerView } from './ledger'
import { attendanceReport, checkPeriod } from './report'
import { formatOf, reportBytes } from './report-file'
import { addDays } from './shifts'
import type { Timesheet } from './timesheet'
import { zonedToInstant } from './zoned-time'

export const dayOperations = [
  'getDayBoard',
  'listPersonPunches',
  'correctPunch',
  'answerForgottenCheckout',
  'listCorrectionRequests',
  'decideCorrectionRequest',
  'getAttendanceReport',
  'exportAttendanceReport',
  'getMyWeek',
] as const

export function createDayHandlers(deps: {
  config: Config
  store: Store
  roster: Roster
  admin: AdminGuard
  timesheet: Timesheet
  board: DayBoard
  corrections: Corrections
  requests: CheckoutRequests
  now: () => number
}): Pick<Handlers, (typeof dayOperations)[number]> {
  const { config, store, roster, admin, timesheet, board, corrections, requests } = deps
  const actorOf = (caller: Caller, permission: AdminPermission = 'view'): Actor =>
    admin.require(caller, permission)
  const report = (from: string, to: string) => {
    checkPeriod(from, to)
    return attendanceReport(timesheet, roster.everyone(), from, to)
  }
  return {
    getDayBoard: ({ date }, caller) => {
      actorOf(caller)
      return board.board(date)
    },
    listPersonPunches: ({ employeeId, from, to }, caller) => {
      actorOf(caller)
      checkPeriod(from, to)
      corrections.person(employeeId)
      const zone = config.timeZone
      const start = zonedToInstant(addDays(from, -1), '00:00', zone)
      const end = zonedToInstant(addDays(to, 2), '00:00', zone)
      return ledgerBetween(store, start, end, employeeId)
        .filter((row) => row.local_date >= from && row.local_date <= to)
        .map(toLedgerView)
    },
    correctPunch: (input, caller) =>
      toLedgerView(corrections.correct(input, actorOf(caller, 'correct'))),
    answerForgottenCheckout: ({ punchId, answer, time }) => requests.answer(punchId, answer, time),
    listCorrectionRequests: ({ state }, caller) => {
      actorOf(caller)
      return requests.list(state)
    },
    decideCorrectionRequest: ({ requestId, decision, time, reason }, caller) =>
      requests.decide(requestId, decision, time, reason, actorOf(caller, 'confirm')),
    getAttendanceReport: ({ from, to }, caller) => {
      actorOf(caller)
      return report(from, to)
    },
    exportAttendanceReport: async ({ from, to, format, summary }, caller) => {
      actorOf(caller)
      const bytes = await reportBytes(report(from, to), format, summary)
      const fileName = `clockface-${summary ? 'summary' : 'attendance'}-${from}-${to}.${format}`
      const mimeType =
        formatOf(fileName) === 'xlsx'
          ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
          : 'text/csv'
      return { fileName, mimeType, base64: Buffer.from(bytes).toString('base64') }
    },
    getMyWeek: ({ punchId }) => {
      const punch = ledgerRow(store, punchId)
      const person = punch && roster.byId(punch.employee_id)
      // Only the screen that just showed this person's greeting knows the punch's id.
      if (!punch || !person || deps.now() - punch.occurred_at > ANSWER_WINDOW_MS) {
        throw new ClockfaceError(ErrorCode.PunchUnknown, 'This week can no longer be shown here.')
      }
      return board.myWeek(person, punch.occurred_at)
    },
  }
}
