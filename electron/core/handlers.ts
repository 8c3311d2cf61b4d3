/** The contract's operations, implemented on core's services. Transports never see services. */
import { ClockfaceError, ErrorCode } from '../shared/errors'
import type { PunchOutcome } from '../shared/types'
import type { Attendance } from './attendance/attendance'
import type { Config } from './config/config'
import { createAdminHandlers } from './admin/admin-handlers'
import { createFaceHandlers } from './faces/face-handlers'
import type { FaceService } from './faces/face-service'
import type { AdminSession } from './admin/admin-session'
import { auditEntry } from './audit/audit'
import type { Handlers } from './gate'
import type { KioskPlatform } from './kiosk'
import { verifyPin } from './roster/pin'
import type { PinLockout } from './roster/pin-lockout'
import { normalizeBadge, type Employee, type Roster } from './roster/roster'
import type { Store } from './store/types'
import type { SyncService } from './sync/sync-service'

export interface HandlerDeps {
  config: Config
  version: string
  platform: KioskPlatform
  store: Store
  roster: Roster
  attendance: Attendance
  pinLockout: PinLockout
  sync: SyncService
  admin: AdminSession
  faces: FaceService
}

/** Builds the handler for every operation in the contract. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { config, platform, roster, attendance, pinLockout } = deps

  const punch = (employee: Employee, method: 'badge' | 'pin'): PunchOutcome => {
    const outcome = attendance.recordPunch(employee, method)
    if (outcome.status === 'recorded') deps.sync.punchRecorded()
    return outcome
  }

  return {
    getKioskInfo: () => ({
      product: 'Clockface',
      version: deps.version,
      site: config.site,
      timeZone: config.timeZone,
      language: config.language,
      greetingSeconds: config.greetingSeconds,
      switchWindowSeconds: config.attendance.switchWindowSeconds,
      badge: config.badge,
      faces: {
        enabled: config.faces.enabled,
        camera: config.faces.camera,
        mode: config.faces.mode,
        liveness: config.faces.liveness,
        minFaceSizePx: config.faces.minFaceSizePx,
        enrolmentSamples: config.faces.enrolmentSamples,
      },
      now: new Date(platform.now()).toISOString(),
    }),

    recordBadgePunch: ({ badge }) => {
      const normalized = normalizeBadge(badge, config.badge.minLength, config.badge.maxLength)
      if (!normalized) {
        throw new ClockfaceError(ErrorCode.BadgeUnreadable, 'The badge could not be read.')
      }
      const employee = roster.byBadge(normalized)
      if (!employee) throw new ClockfaceError(ErrorCode.BadgeUnknown, 'This badge is not known.')
      activeOnly(employee)
      return deps.faces.claimByBadge(employee) ?? punch(employee, 'badge')
    },

    findEmployees: ({ query }) => roster.search(query),

    recordPinPunch: async ({ employeeId, pin }) => {
      const employee = roster.byId(employeeId)
      if (!employee) throw new ClockfaceError(ErrorCode.EmployeeUnknown, 'No such person.')
      activeOnly(employee)
      const lockedUntil = pinLockout.lockedUntil(employee.id, platform.now())
      if (lockedUntil !== undefined) throw pinLocked(lockedUntil)
      if (!employee.pinHash) {
        throw new ClockfaceError(ErrorCode.PinNotSet, 'This person has no PIN; ask an admin.')
      }
      if (!(await verifyPin(pin, employee.pinHash))) {
        const attemptsLeft = pinLockout.recordFailure(employee.id, platform.now())
        if (attemptsLeft > 0) {
          throw new ClockfaceError(ErrorCode.PinWrong, 'Wrong PIN.', { attemptsLeft })
        }
        deps.store.commit([auditEntry(platform.now(), 'kiosk', 'pin.locked', employee.id)])
        throw pinLocked(pinLockout.lockedUntil(employee.id, platform.now()) ?? platform.now())
      }
      pinLockout.recordSuccess(employee.id)
      return punch(employee, 'pin')
    },

    switchPunchDirection: ({ punchId }) => {
      const row = attendance.punch(punchId)
      const employee = row && roster.byId(row.employee_id)
      if (!row || !employee) throw new ClockfaceError(ErrorCode.PunchUnknown, 'No such punch.')
      return attendance.switchDirection(punchId, employee)
    },

    getSyncStatus: () => deps.sync.status(),

    reportNetworkHint: () => {
      deps.sync.networkHint()
      return null
    },

    ...createAdminHandlers(deps),
    ...createFaceHandlers(deps),
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
