/**
 * Admin mode at the kiosk: unlocked by the admin PIN (hashed in the config), locked again after
 * a few idle minutes, and locked out for a while after too many wrong PINs.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { AdminSession as AdminSessionView } from '../../shared/types'
import { verifyPin } from '../roster/pin'
import { PinLockout } from '../roster/pin-lockout'

const idleMs = 5 * 60_000
const lockoutKey = 'admin'

/** What admin-only operations of other domains need: a check that admin mode is open. */
export interface AdminGuard {
  /** Throws ADMIN_REQUIRED unless admin mode is open; each admin action extends it. */
  require(): void
}

export class AdminSession implements AdminGuard {
  private expiresAt = 0
  private readonly lockout: PinLockout

  constructor(
    private readonly pinHash: string | null,
    private readonly now: () => number,
    maxAttempts: number,
    lockoutMs: number,
  ) {
    this.lockout = new PinLockout(maxAttempts, lockoutMs)
  }

  /** Checks the admin PIN and opens admin mode; throws PIN_WRONG / PIN_LOCKED otherwise. */
  async unlock(pin: string): Promise<AdminSessionView> {
    if (!this.pinHash) {
      throw new ClockfaceError(ErrorCode.AdminNotConfigured, 'No admin PIN is set in the config.')
    }
    const lockedUntil = this.lockout.lockedUntil(lockoutKey, this.now())
    if (lockedUntil !== undefined) throw locked(lockedUntil)
    if (!(await verifyPin(pin, this.pinHash))) {
      const attemptsLeft = this.lockout.recordFailure(lockoutKey, this.now())
      if (attemptsLeft === 0) throw locked(this.lockout.lockedUntil(lockoutKey, this.now())!)
      throw new ClockfaceError(ErrorCode.PinWrong, 'Wrong admin PIN.', { attemptsLeft })
    }
    this.lockout.recordSuccess(lockoutKey)
    return this.touch()
  }

  lock(): void {
    this.expiresAt = 0
  }

  /** Throws ADMIN_REQUIRED unless admin mode is open; each admin action extends it. */
  require(): void {
    if (this.now() >= this.expiresAt) {
      this.expiresAt = 0
      throw new ClockfaceError(ErrorCode.AdminRequired, 'Admin mode is locked.')
    }
    this.touch()
  }

  private touch(): AdminSessionView {
    this.expiresAt = this.now() + idleMs
    return { expiresAt: new Date(this.expiresAt).toISOString() }
  }
}

function locked(until: number): ClockfaceError {
  return new ClockfaceError(ErrorCode.PinLocked, 'Too many wrong admin PINs; try again later.', {
    lockedUntil: new Date(until).toISOString(),
  })
}
