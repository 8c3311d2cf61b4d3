/**
 * Who is at the admin panel: a supervisor or admin with their own badge and PIN (the PIN they
 * punch with), or anyone with the shared admin PIN (break-glass). Wrong PINs count towards a
 * lockout; every refusal is audited, never with the PIN or the badge number.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import { auditEntry } from '../audit/audit'
import { verifyPin } from '../roster/pin'
import type { PinLockout, PinVerdict } from '../roster/pin-lockout'
import { normalizeBadge, type Employee, type Roster } from '../roster/roster'
import type { Store } from '../store/types'
import { breakGlassActor, employeeActor, isAdminRole, type AdminActor } from './permissions'

/** What the admin panel sends: the admin PIN alone, or a person's badge and their PIN. */
export interface AdminCredentials {
  pin: string
  badge?: string
}

export interface CredentialCheckOptions {
  /** The shared admin PIN's hash (config `adminPinHash`); null when there is none. */
  pinHash: string | null
  store: Store
  roster: Roster
  now: () => number
  badge: { minLength: number; maxLength: number }
  /** Guesses at the shared admin PIN. */
  adminLockout: PinLockout
  /** Guesses at people's PINs: the same count as at the PIN punch, since it is the same PIN. */
  staffLockout: PinLockout
  /** The door's limit on unknown badges: the panel counts in it too, or it would be the way round. */
  unknownBadges: { check(now: number): void; recordUnknown(now: number): void }
}

export class CredentialCheck {
  constructor(private readonly options: CredentialCheckOptions) {}

  /** The actor these credentials name; throws with a code saying why they do not open it. */
  async check(credentials: AdminCredentials, caller: string): Promise<AdminActor> {
    return credentials.badge === undefined
      ? this.breakGlass(credentials.pin, caller)
      : this.person(credentials.badge, credentials.pin, caller)
  }

  private async breakGlass(pin: string, caller: string): Promise<AdminActor> {
    const { pinHash, adminLockout, now } = this.options
    if (!pinHash) {
      throw new ClockfaceError(ErrorCode.AdminNotConfigured, 'No admin PIN is set in the config.')
    }
    const verdict = await adminLockout.guess('admin', now, () => verifyPin(pin, pinHash))
    this.settle(verdict, null, caller)
    return breakGlassActor
  }

  private async person(raw: string, pin: string, caller: string): Promise<AdminActor> {
    const { roster, staffLockout, now, badge: bounds } = this.options
    const badge = normalizeBadge(raw, bounds.minLength, bounds.maxLength)
    if (!badge) {
      this.audit('admin.refused', null, { caller, reason: 'badge-unreadable' })
      throw new ClockfaceError(ErrorCode.BadgeUnreadable, 'The badge could not be read.')
    }
    this.options.unknownBadges.check(now())
    const employee = roster.byBadge(badge)
    if (!employee) {
      this.options.unknownBadges.recordUnknown(now())
      this.audit('admin.refused', null, { caller, reason: 'badge-unknown' })
      throw new ClockfaceError(ErrorCode.BadgeUnknown, 'This badge is not known.')
    }
    const role = this.mayOpen(employee, caller)
    const pinHash = employee.pinHash
    if (!pinHash) {
      this.audit('admin.refused', employee.id, { caller, reason: 'pin-not-set' })
      throw new ClockfaceError(ErrorCode.PinNotSet, `${employee.name} has no PIN; ask an admin.`)
    }
    const verdict = await staffLockout.guess(employee.id, now, () => verifyPin(pin, pinHash))
    this.settle(verdict, employee.id, caller)
    return employeeActor(employee, role)
  }

  // Checked before any PIN is: a person who may not open admin mode has nothing to guess here.
  private mayOpen(employee: Employee, caller: string) {
    if (!employee.active) {
      this.audit('admin.refused', employee.id, { caller, reason: 'inactive' })
      throw new ClockfaceError(ErrorCode.EmployeeInactive, `${employee.name} is not active here.`)
    }
    if (!isAdminRole(employee.role)) {
      this.audit('admin.refused', employee.id, { caller, reason: 'role', role: employee.role })
      throw new ClockfaceError(
        ErrorCode.PermissionDenied,
        `${employee.name} is staff; only supervisors and admins open admin mode.`,
      )
    }
    return employee.role
  }

  /** Returns for a right PIN; audits and throws PIN_WRONG or PIN_LOCKED otherwise. */
  private settle(verdict: PinVerdict, subject: string | null, caller: string): void {
    if (verdict.kind === 'right') return
    if (verdict.kind === 'wrong') {
      this.audit('admin.pin-wrong', subject, { caller, attemptsLeft: verdict.attemptsLeft })
      throw new ClockfaceError(ErrorCode.PinWrong, 'Wrong PIN.', {
        attemptsLeft: verdict.attemptsLeft,
      })
    }
    if (verdict.checked) this.audit('admin.pin-wrong', subject, { caller, attemptsLeft: 0 })
    if (verdict.lockedNow) {
      this.audit('admin.pin-locked', subject, {
        caller,
        until: new Date(verdict.lockedUntil).toISOString(),
      })
    }
    throw new ClockfaceError(ErrorCode.PinLocked, 'Too many wrong PINs; try again later.', {
      lockedUntil: new Date(verdict.lockedUntil).toISOString(),
    })
  }

  private audit(action: string, subject: string | null, detail: Record<string, unknown>): void {
    this.options.store.commit([auditEntry(this.options.now(), 'kiosk', action, subject, detail)])
  }
}
