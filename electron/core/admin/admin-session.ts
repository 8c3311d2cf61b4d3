/**
 * Admin mode at the kiosk, per caller: opened with the admin PIN (hashed in the config) by one
 * screen and usable only by that screen; it ends on Lock, after `admin.idleMinutes` without an
 * admin action, and in any case `admin.sessionMinutes` after it was opened. Wrong PINs count
 * towards a lockout kept in the store. Unlocks, wrong PINs, locks and expiries are audited.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { AdminSession as AdminSessionView } from '../../shared/types'
import { auditEntry } from '../audit/audit'
import type { Caller } from '../gate'
import { verifyPin } from '../roster/pin'
import { PinLockout } from '../roster/pin-lockout'
import type { Statement, Store } from '../store/types'

/** What admin-only operations of other domains need: a check that this caller is in admin mode. */
export interface AdminGuard {
  /** Throws ADMIN_REQUIRED unless the caller's admin mode is open; each admin action extends it. */
  require(caller: Caller): void
}

export interface AdminSessionOptions {
  pinHash: string | null
  store: Store
  now: () => number
  maxAttempts: number
  lockoutMs: number
  /** An open session ends this long after its last admin action, ms. */
  idleMs: number
  /** An open session ends this long after it was opened, however busy, ms. */
  limitMs: number
}

interface OpenSession {
  openedAt: number
  lastUsedAt: number
}

export class AdminSession implements AdminGuard {
  private readonly sessions = new Map<string, OpenSession>()
  private readonly lockout: PinLockout

  constructor(private readonly options: AdminSessionOptions) {
    const { store, maxAttempts, lockoutMs } = options
    this.lockout = new PinLockout(store, 'admin', maxAttempts, lockoutMs)
  }

  /** Checks the admin PIN and opens admin mode for the caller; throws PIN_WRONG / PIN_LOCKED. */
  async unlock(pin: string, caller: Caller): Promise<AdminSessionView> {
    const { pinHash, now } = this.options
    if (!pinHash) {
      throw new ClockfaceError(ErrorCode.AdminNotConfigured, 'No admin PIN is set in the config.')
    }
    const id = caller.id
    // A call whose screen is unknown could not keep the session to itself: no PIN is checked.
    if (id === null) {
      throw new ClockfaceError(
        ErrorCode.ForbiddenSender,
        'Admin mode opens only on the kiosk screen; reload the page.',
      )
    }
    this.endExpired()
    const verdict = await this.lockout.guess('admin', now, () => verifyPin(pin, pinHash))
    if (verdict.kind === 'wrong') {
      this.audit('kiosk', 'admin.pin-wrong', id, { attemptsLeft: verdict.attemptsLeft })
      throw new ClockfaceError(ErrorCode.PinWrong, 'Wrong admin PIN.', {
        attemptsLeft: verdict.attemptsLeft,
      })
    }
    if (verdict.kind === 'locked') {
      if (verdict.checked) this.audit('kiosk', 'admin.pin-wrong', id, { attemptsLeft: 0 })
      if (verdict.lockedNow) {
        this.audit('kiosk', 'admin.pin-locked', id, {
          until: new Date(verdict.lockedUntil).toISOString(),
        })
      }
      throw new ClockfaceError(ErrorCode.PinLocked, 'Too many wrong admin PINs; try again later.', {
        lockedUntil: new Date(verdict.lockedUntil).toISOString(),
      })
    }
    const session = { openedAt: now(), lastUsedAt: now() }
    this.sessions.set(id, session)
    this.audit('admin', 'admin.unlock', id, null)
    return this.view(session)
  }

  /** Ends the caller's admin mode, if open. */
  lock(caller: Caller): void {
    this.endExpired()
    if (caller.id !== null && this.sessions.delete(caller.id)) {
      this.audit('admin', 'admin.lock', caller.id, { reason: 'request' })
    }
  }

  /** Ends every open session (the kiosk is closing). */
  lockAll(): void {
    this.endExpired()
    const ends = [...this.sessions.keys()].map((id) =>
      auditEntry(this.options.now(), 'kiosk', 'admin.lock', null, {
        caller: id,
        reason: 'shutdown',
      }),
    )
    this.sessions.clear()
    if (ends.length > 0) this.options.store.commit(ends)
  }

  require(caller: Caller): void {
    this.endExpired()
    const session = caller.id === null ? undefined : this.sessions.get(caller.id)
    if (!session) throw new ClockfaceError(ErrorCode.AdminRequired, 'Admin mode is locked.')
    session.lastUsedAt = this.options.now()
  }

  // Expiry is noticed on the next call and audited at the instant the session ended.
  private endExpired(): void {
    const now = this.options.now()
    const ends: Statement[] = []
    for (const [id, session] of this.sessions) {
      const { expiresAt, endsAt } = this.deadlines(session)
      if (expiresAt > now) continue
      this.sessions.delete(id)
      const reason = expiresAt === endsAt ? 'limit' : 'idle'
      ends.push(auditEntry(expiresAt, 'kiosk', 'admin.expired', null, { caller: id, reason }))
    }
    if (ends.length > 0) this.options.store.commit(ends)
  }

  private deadlines(session: OpenSession): { expiresAt: number; endsAt: number } {
    const endsAt = session.openedAt + this.options.limitMs
    return { expiresAt: Math.min(session.lastUsedAt + this.options.idleMs, endsAt), endsAt }
  }

  private view(session: OpenSession): AdminSessionView {
    const { expiresAt, endsAt } = this.deadlines(session)
    return { expiresAt: new Date(expiresAt).toISOString(), endsAt: new Date(endsAt).toISOString() }
  }

  private audit(
    actor: string,
    action: string,
    caller: string,
    detail: Record<string, unknown> | null,
  ): void {
    const entry = auditEntry(this.options.now(), actor, action, null, { ...detail, caller })
    this.options.store.commit([entry])
  }
}
