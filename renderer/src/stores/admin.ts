/**
 * Admin mode at the kiosk: opened with a supervisor's or admin's badge and PIN (or the shared
 * admin PIN), knows who is in and what their role may do, closed by the Lock button, by main when
 * its session ran out (ADMIN_REQUIRED), or here when its deadline passes (idle, or the session's
 * absolute end) or nobody has touched the screen for a while. Holds the punches the CRM refused while it is open.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  AdminPermission,
  AdminRole,
  AdminSession,
  DeadLetterView,
} from '../../../electron/shared/types'
import { ClockfaceError, ErrorCode, type ErrorDetails } from '../../../electron/shared/errors'
import { api } from '../bridge'

/** Locks admin mode after this long without a touch or key, ms (main locks after 5 minutes). */
export const ADMIN_IDLE_MS = 3 * 60_000
/** The contract's bounds for the audited discard reason, in characters after trimming. */
export const DISCARD_REASON_MIN = 3
export const DISCARD_REASON_MAX = 500

export interface AdminRefusal {
  code: ErrorCode
  details: ErrorDetails
}

/** Who is signed in: a named supervisor or admin, or (name null) the shared admin PIN. */
export interface AdminSignedIn {
  role: AdminRole
  employeeId: string | null
  name: string | null
}

function asRefusal(error: unknown): AdminRefusal {
  const failure = error instanceof ClockfaceError ? error : null
  return { code: failure?.code ?? ErrorCode.Internal, details: failure?.details ?? {} }
}

export const useAdminStore = defineStore('admin', () => {
  /** When main will lock admin mode if nothing else happens, ms since the epoch; 0 when locked. */
  const deadline = ref(0)
  const unlocked = computed(() => deadline.value > 0)
  const expiresAt = computed(() => (unlocked.value ? new Date(deadline.value).toISOString() : null))
  const unlocking = ref(false)
  /** Why the last unlock failed; cleared by the next attempt. */
  const unlockRefusal = ref<AdminRefusal | null>(null)
  /** Who opened the current session; null when locked. */
  const signedIn = ref<AdminSignedIn | null>(null)
  /** What main said this role may do; main checks every call regardless. */
  const permissions = ref<AdminPermission[]>([])

  const deadLetters = ref<DeadLetterView[]>([])
  /** False until the first list has arrived, so an empty list is not claimed too early. */
  const deadLettersLoaded = ref(false)
  /** The dead letter a retry or discard is under way for. */
  const working = ref<string | null>(null)
  /** Why the last admin action failed, shown until the next one. */
  const actionRefusal = ref<AdminRefusal | null>(null)

  // Main extends its session by the same window on every admin call, never past its absolute
  // end; mirror that here.
  let sessionMs = ADMIN_IDLE_MS
  let endsAt = Infinity
  let lastTouch = 0
  let lockTimer: ReturnType<typeof setTimeout> | undefined
  // Bumped on every unlock and lock, so an answer for a closed session changes nothing.
  let generation = 0

  function scheduleLock(): void {
    if (lockTimer !== undefined) clearTimeout(lockTimer)
    lockTimer = undefined
    if (!unlocked.value) return
    const at = Math.min(deadline.value, lastTouch + ADMIN_IDLE_MS)
    lockTimer = setTimeout(() => void lock(), Math.max(0, at - Date.now()))
  }

  function open(session: AdminSession): void {
    const now = Date.now()
    const granted = Date.parse(session.expiresAt) - now
    sessionMs = Number.isFinite(granted) && granted > 0 ? granted : ADMIN_IDLE_MS
    const end = Date.parse(session.endsAt)
    endsAt = Number.isFinite(end) ? end : Infinity
    generation += 1
    deadline.value = Math.min(now + sessionMs, endsAt)
    signedIn.value = { role: session.role, employeeId: session.employeeId, name: session.name }
    permissions.value = [...session.permissions]
    lastTouch = now
    deadLetters.value = []
    deadLettersLoaded.value = false
    actionRefusal.value = null
    scheduleLock()
  }

  /** Leaves admin mode here at once: the screen returns to the kiosk whatever main answers. */
  function forget(): void {
    generation += 1
    deadline.value = 0
    signedIn.value = null
    permissions.value = []
    deadLetters.value = []
    deadLettersLoaded.value = false
    working.value = null
    actionRefusal.value = null
    scheduleLock()
  }

  /**
   * Opens admin mode with a person's badge (as the reader typed it) and PIN, or with the admin
   * PIN alone; false (with `unlockRefusal` set) when main refused.
   */
  async function unlock(pin: string, badge?: string): Promise<boolean> {
    if (unlocking.value) return false
    unlocking.value = true
    unlockRefusal.value = null
    try {
      open(await api.unlockAdmin(badge === undefined ? { pin } : { pin, badge }))
      return true
    } catch (error) {
      unlockRefusal.value = asRefusal(error)
      return false
    } finally {
      unlocking.value = false
    }
  }

  /** True when the signed-in role may do this (for what the screen offers; main decides). */
  function may(permission: AdminPermission): boolean {
    return permissions.value.includes(permission)
  }

  function clearUnlockRefusal(): void {
    unlockRefusal.value = null
  }

  /** Locks admin mode here and in main; a failure to reach main still locks the screen. */
  async function lock(): Promise<void> {
    if (!unlocked.value) return
    forget()
    try {
      await api.lockAdmin()
    } catch {
      // Main locks by itself after its idle window; the screen is already back to the kiosk.
    }
  }

  /** A touch or key in admin mode: the person is still there. */
  function stillHere(): void {
    if (!unlocked.value) return
    lastTouch = Date.now()
    scheduleLock()
  }

  /**
   * Runs one admin call for the open session; `use` sees its value only if that session is
   * still open. ADMIN_REQUIRED locks the screen, other failures land in `actionRefusal`.
   */
  async function adminCall<T>(call: () => Promise<T>, use: (value: T) => void): Promise<boolean> {
    if (!unlocked.value) return false
    const session = generation
    try {
      const value = await call()
      if (session !== generation) return false
      deadline.value = Math.min(Date.now() + sessionMs, endsAt)
      scheduleLock()
      use(value)
      return true
    } catch (error) {
      if (session !== generation) return false
      const refusal = asRefusal(error)
      if (refusal.code === ErrorCode.AdminRequired) forget()
      else actionRefusal.value = refusal
      return false
    }
  }

  /** Asks main for the punches the CRM refused, oldest first. */
  async function refreshDeadLetters(): Promise<void> {
    await adminCall(
      () => api.listDeadLetters(),
      (list) => {
        deadLetters.value = list
        deadLettersLoaded.value = true
      },
    )
  }

  async function actOn(punchId: string, call: () => Promise<null>): Promise<boolean> {
    if (working.value !== null) return false
    working.value = punchId
    actionRefusal.value = null
    try {
      const done = await adminCall(call, () => {
        deadLetters.value = deadLetters.value.filter((letter) => letter.punchId !== punchId)
      })
      // Done or not (another kiosk session may have acted first), show what main holds now.
      await refreshDeadLetters()
      return done
    } finally {
      working.value = null
    }
  }

  /** Puts a refused punch back in the upload queue. */
  async function retry(punchId: string): Promise<boolean> {
    return actOn(punchId, () => api.retryDeadLetter({ punchId }))
  }

  /** Gives up uploading a refused punch; the reason (3–500 characters) goes to the audit log. */
  async function discard(punchId: string, reason: string): Promise<boolean> {
    const trimmed = reason.trim()
    if (trimmed.length < DISCARD_REASON_MIN || trimmed.length > DISCARD_REASON_MAX) return false
    return actOn(punchId, () => api.discardDeadLetter({ punchId, reason: trimmed }))
  }

  /**
   * Compares the last `days` site days (today included) with the CRM's receipts; what the CRM
   * lacks goes back to the upload queue. The outcome arrives with the next sync status.
   */
  async function reconcile(days: number, today: string): Promise<boolean> {
    if (working.value !== null) return false
    working.value = 'reconcile'
    actionRefusal.value = null
    try {
      const [y, m, d] = today.split('-').map(Number) as [number, number, number]
      const from = new Date(Date.UTC(y, m - 1, d - (days - 1))).toISOString().slice(0, 10)
      return await adminCall(
        () => api.reconcile({ from, to: today }),
        () => {},
      )
    } finally {
      working.value = null
    }
  }

  return {
    reconcile,
    unlocked,
    expiresAt,
    unlocking,
    unlockRefusal,
    signedIn,
    permissions,
    may,
    deadLetters,
    deadLettersLoaded,
    working,
    actionRefusal,
    unlock,
    clearUnlockRefusal,
    lock,
    stillHere,
    refreshDeadLetters,
    retry,
    discard,
  }
})
