/** The `attendance:` operations: punches by badge and by PIN, and "check out instead". */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { BadgeOutcome } from '../../shared/types'
import { auditEntry } from '../audit/audit'
import type { Config } from '../config/config'
import type { DomainHandlers } from '../gate'
import type { KioskPlatform } from '../platform'
import { verifyPin } from '../roster/pin'
import type { PinLockout } from '../roster/pin-lockout'
import { normalizeBadge, type Employee, type Roster } from '../roster/roster'
import type { Store } from '../store/types'
import type { Attendance } from './attendance'
import { createDayHandlers, dayOperations } from './day-handlers'
import type { UnknownBadgeLimit } from './unknown-badges'

export const attendanceOperations = [
  'recordBadgePunch',
  'recordPinPunch',
  'switchPunchDirection',
  ...dayOperations,
] as const

/** Face-and-badge mode: a badge of a person with face data waits for their face instead. */
export interface BadgeClaims {
  claimByBadge(employee: Employee): BadgeOutcome | null
}

/** Whether the kiosk has a staff list at all (a CRM kiosk has none until its first sync). */
export interface StaffList {
  loaded(): boolean
}

export function createAttendanceHandlers(deps: {
  config: Config
  platform: KioskPlatform
  store: Store
  roster: Roster
  attendance: Attendance
  pinLockout: PinLockout
  badgeClaims: BadgeClaims
  staffList: StaffList
  /** Shared with the admin panel, which takes badges too. */
  unknownBadges: UnknownBadgeLimit
  day: Parameters<typeof createDayHandlers>[0]
}): DomainHandlers<typeof attendanceOperations> {
  const { config, platform, store, roster, attendance, pinLockout } = deps
  const { unknownBadges } = deps
  return {
    ...createDayHandlers(deps.day),
    recordBadgePunch: ({ badge }) => {
      const normalized = normalizeBadge(badge, config.badge.minLength, config.badge.maxLength)
      if (!normalized) {
        throw new ClockfaceError(ErrorCode.BadgeUnreadable, 'The badge could not be read.')
      }
      unknownBadges.check(platform.now())
      const employee = roster.byBadge(normalized)
      if (!employee) {
        unknownBadges.recordUnknown(platform.now())
        if (!deps.staffList.loaded()) {
          throw new ClockfaceError(ErrorCode.RosterNotLoaded, 'The staff list has not loaded yet.')
        }
        throw new ClockfaceError(ErrorCode.BadgeUnknown, 'This badge is not known.')
      }
      activeOnly(employee)
      return deps.badgeClaims.claimByBadge(employee) ?? attendance.recordPunch(employee, 'badge')
    },

    recordPinPunch: async ({ employeeId, pin }) => {
      const employee = roster.byId(employeeId)
      if (!employee) throw new ClockfaceError(ErrorCode.EmployeeUnknown, 'No such person.')
      activeOnly(employee)
      const pinHash = employee.pinHash
      if (!pinHash) {
        throw new ClockfaceError(ErrorCode.PinNotSet, 'This person has no PIN; ask an admin.')
      }
      const verdict = await pinLockout.guess(employee.id, platform.now, () =>
        verifyPin(pin, pinHash),
      )
      if (verdict.kind === 'wrong') {
        throw new ClockfaceError(ErrorCode.PinWrong, 'Wrong PIN.', {
          attemptsLeft: verdict.attemptsLeft,
        })
      }
      if (verdict.kind === 'locked') {
        if (verdict.lockedNow) {
          store.commit([auditEntry(platform.now(), 'kiosk', 'pin.locked', employee.id)])
        }
        throw pinLocked(verdict.lockedUntil)
      }
      return attendance.recordPunch(employee, 'pin')
    },

    switchPunchDirection: ({ punchId }) => {
      const row = attendance.punch(punchId)
      const employee = row && roster.byId(row.employee_id)
      if (!row || !employee) throw new ClockfaceError(ErrorCode.PunchUnknown, 'No such punch.')
      return attendance.switchDirection(punchId, employee)
    },
  }
}

function activeOnly(employee: Employee): Employee {
  if (!employee.active) {
    throw new ClockfaceError(ErrorCode.EmployeeInactive, `${employee.name} is not active here.`)
  }
  return employee
}

function pinLocked(until: number): ClockfaceError {
  return new ClockfaceError(ErrorCode.PinLocked, 'Too many wrong PINs; try again later.', {
    lockedUntil: new Date(until).toISOString(),
  })
}
