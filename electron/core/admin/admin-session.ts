/**
 * Admin mode at the kiosk, per caller: opened by one screen (a supervisor's or admin's own
 * badge and PIN, or the shared admin PIN) and usable only by that screen; it ends on Lock,
 * after `admin.idleMinutes` without an admin action, in any case `admin.sessionMinutes` after
 * it was opened, and as soon as its person is no longer an active supervisor or admin. Every
 * operation asks for a permission, checked here against the signed-in role. Unlocks, refusals,
 * locks, expiries and denials are audited.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { AdminPermission, AdminSession as AdminSessionView } from '../../shared/types'
import { auditEntry } from '../audit/audit'
import type { Caller } from '../gate'
import { PinLockout } from '../roster/pin-lockout'
import type { Roster } from '../roster/roster'
import type { Statement, Store } from '../store/types'
import { CredentialCheck, type AdminCredentials, type CredentialCheckOptions } from './credentials'
import {
  employeeActor,
  isAdminRole,
  mayDo,
  permissionsOf,
  permissionWording,
  type AdminActor,
} from './permissions'

/** What admin-mode operations of other domains need: who is in, if they may do this. */
export interface AdminGuard {
  /**
   * The actor of the caller's open admin mode; throws ADMIN_REQUIRED when it is not open and
   * PERMISSION_DENIED when its role lacks `permission`. Each allowed action extends the session.
   */
  require(caller: Caller, permission: AdminPermission): AdminActor
}

export interface AdminSessionOptions {
  pinHash: string | null
  store: Store
  roster: Roster
  now: () => number
  maxAttempts: number
  lockoutMs: number
  /** An open session ends this long after its last admin action, ms. */
  idleMs: number
  /** An open session ends this long after it was opened, however busy, ms. */
  limitMs: number
  badge: { minLength: number; maxLength: number }
  /** The lockout the PIN punch counts in: a person's PIN is one secret, with one count. */
  staffLockout: PinLockout
  /** The door's unknown-badge limit, shared with the panel. */
  unknownBadges: CredentialCheckOptions['unknownBadges']
}

interface OpenSession {
  actor: AdminActor
  openedAt: number
  lastUsedAt: number
}

export class AdminSession implements AdminGuard {
  private readonly sessions = new Map<string, OpenSession>()
  private readonly credentials: CredentialCheck

  constructor(private readonly options: AdminSessionOptions) {
    const { store, maxAttempts, lockoutMs } = options
    this.credentials = new CredentialCheck({
      ...options,
      adminLockout: new PinLockout(store, 'admin', maxAttempts, lockoutMs),
    })
  }

  /** Opens admin mode for the caller; throws PIN_WRONG, PIN_LOCKED, PERMISSION_DENIED… */
  async unlock(credentials: AdminCredentials, caller: Caller): Promise<AdminSessionView> {
    const id = caller.id
    // A call whose screen is unknown could not keep the session to itself: no PIN is checked.
    if (id === null) {
      throw new ClockfaceError(
        ErrorCode.ForbiddenSender,
        'Admin mode opens only on the kiosk screen; reload the page.',
      )
    }
    this.endExpired()
    const actor = await this.credentials.check(credentials, id)
    const { now } = this.options
    const session = { actor, openedAt: now(), lastUsedAt: now() }
    this.sessions.set(id, session)
    this.audit(actor.id, 'admin.unlock', actor.employeeId, { caller: id, role: actor.role })
    return this.view(session)
  }

  /** Ends the caller's admin mode, if open. */
  lock(caller: Caller): void {
    this.endExpired()
    const session = caller.id === null ? undefined : this.sessions.get(caller.id)
    if (!session) return
    this.sessions.delete(caller.id!)
    const { actor } = session
    this.audit(actor.id, 'admin.lock', actor.employeeId, { caller: caller.id, reason: 'request' })
  }

  /** Ends every open session (the kiosk is closing). */
  lockAll(): void {
    this.endExpired()
    const ends = [...this.sessions].map(([id, { actor }]) =>
      auditEntry(this.options.now(), 'kiosk', 'admin.lock', actor.employeeId, {
        caller: id,
        reason: 'shutdown',
      }),
    )
    this.sessions.clear()
    if (ends.length > 0) this.options.store.commit(ends)
  }

  require(caller: Caller, permission: AdminPermission): AdminActor {
    this.endExpired()
    const session = caller.id === null ? undefined : this.sessions.get(caller.id)
    if (!session) throw new ClockfaceError(ErrorCode.AdminRequired, 'Admin mode is locked.')
    const actor = this.recheck(caller.id!, session)
    if (!mayDo(actor.role, permission)) {
      this.audit(actor.id, 'admin.denied', actor.employeeId, { caller: caller.id, permission })
      throw new ClockfaceError(
        ErrorCode.PermissionDenied,
        `A ${actor.role} may not ${permissionWording[permission]}.`,
        { permission, role: actor.role },
      )
    }
    session.lastUsedAt = this.options.now()
    return actor
  }

  // The roster may change under an open session (a CSV import, the CRM): the person's role and
  // active flag as they are now decide, not as they were at unlock.
  private recheck(caller: string, session: OpenSession): AdminActor {
    const { employeeId } = session.actor
    if (employeeId === null) return session.actor
    const employee = this.options.roster.byId(employeeId)
    if (employee?.active && isAdminRole(employee.role)) {
      session.actor = employeeActor(employee, employee.role)
      return session.actor
    }
    this.sessions.delete(caller)
    const reason = employee?.active ? 'role' : 'inactive'
    this.audit('kiosk', 'admin.revoked', employeeId, { caller, reason })
    throw new ClockfaceError(ErrorCode.AdminRequired, 'Admin mode ended: the role was withdrawn.')
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
      const subject = session.actor.employeeId
      ends.push(auditEntry(expiresAt, 'kiosk', 'admin.expired', subject, { caller: id, reason }))
    }
    if (ends.length > 0) this.options.store.commit(ends)
  }

  private deadlines(session: OpenSession): { expiresAt: number; endsAt: number } {
    const endsAt = session.openedAt + this.options.limitMs
    return { expiresAt: Math.min(session.lastUsedAt + this.options.idleMs, endsAt), endsAt }
  }

  private view(session: OpenSession): AdminSessionView {
    const { expiresAt, endsAt } = this.deadlines(session)
    const { role, employeeId, name } = session.actor
    return {
      expiresAt: new Date(expiresAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      role,
      employeeId,
      name,
      permissions: permissionsOf(role),
    }
  }

  private audit(
    actor: string,
    action: string,
    subject: string | null,
    detail: Record<string, unknown>,
  ): void {
    this.options.store.commit([auditEntry(this.options.now(), actor, action, subject, detail)])
  }
}
