/**
 * What the kiosk is telling the person in front of it right now: a greeting after a punch, a
 * "you already did" note, or why nothing was recorded. Every notice clears itself after the
 * configured greeting time.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ForgottenCheckout } from '../../../electron/shared/attendance-types'
import type { BadgeOutcome, PunchOutcome, PunchView } from '../../../electron/shared/types'
import { ClockfaceError, ErrorCode, type ErrorDetails } from '../../../electron/shared/errors'
import { api } from '../bridge'
import { playFailureSound, playSuccessChime } from '../sound/chimes'
import { useKioskStore } from './kiosk'

export type KioskNotice =
  | {
      kind: 'greeting'
      punch: PunchView
      switchableUntil: string | null
      /** An earlier day left open: the greeting asks when they left. */
      forgotten?: ForgottenCheckout
    }
  | { kind: 'already'; punch: PunchView }
  | { kind: 'refusal'; code: ErrorCode; details: ErrorDetails }
  /** Face-and-badge mode: the badge's holder must now show their face; nothing recorded yet. */
  | { kind: 'verify'; employeeId: string; name: string; until: string }

/** After a PIN attempt: close the panel, or keep it open for another try. */
export type PinAttempt = 'done' | 'try-again' | 'ignored'

/** How long the greeting waits for an answer to "when did you leave?", ms. */
export const QUESTION_MS = 20_000

export const useAttendanceStore = defineStore('attendance', () => {
  const kiosk = useKioskStore()
  const notice = ref<KioskNotice | null>(null)
  /** A call to main is under way; further scans wait for it rather than queue up. */
  const busy = ref(false)

  const greeting = computed(() => (notice.value?.kind === 'greeting' ? notice.value : null))
  const already = computed(() => (notice.value?.kind === 'already' ? notice.value : null))
  const refusal = computed(() => (notice.value?.kind === 'refusal' ? notice.value : null))
  const verify = computed(() => (notice.value?.kind === 'verify' ? notice.value : null))

  let dismissTimer: ReturnType<typeof setTimeout> | undefined

  function show(next: KioskNotice): void {
    notice.value = next
    if (dismissTimer !== undefined) clearTimeout(dismissTimer)
    if (next.kind === 'verify') {
      // Main's window decides; this only says so when it has passed without a greeting.
      const left = Math.min(Math.max(Date.parse(next.until) - Date.now(), 1000), 60_000)
      dismissTimer = setTimeout(notVerified, left)
      return
    }
    // A greeting stays while "check out instead" is still possible, however short the greeting
    // time: the next person's punch replaces it anyway.
    const switchable =
      next.kind === 'greeting' && next.switchableUntil !== null
        ? Date.parse(next.switchableUntil) - Date.now()
        : 0
    const asking = next.kind === 'greeting' && next.forgotten ? QUESTION_MS : 0
    hold(Math.max(kiosk.greetingMs, switchable, asking))
    if (next.kind === 'refusal') playFailureSound()
    else playSuccessChime()
  }

  /** Keeps the current notice up for `ms` from now (at most a minute), then clears it. */
  function hold(ms: number): void {
    if (!notice.value) return
    if (dismissTimer !== undefined) clearTimeout(dismissTimer)
    dismissTimer = setTimeout(dismiss, Math.min(ms, 60_000))
  }

  function notVerified(): void {
    if (notice.value?.kind === 'verify') {
      show({ kind: 'refusal', code: ErrorCode.FaceNotVerified, details: {} })
    }
  }

  /** Clears the notice and returns to the idle screen. */
  function dismiss(): void {
    if (dismissTimer !== undefined) clearTimeout(dismissTimer)
    dismissTimer = undefined
    notice.value = null
  }

  function showOutcome(outcome: PunchOutcome | BadgeOutcome): void {
    if (outcome.status === 'verify-face') {
      const { employeeId, name, until } = outcome
      show({ kind: 'verify', employeeId, name, until })
    } else if (outcome.status === 'recorded') {
      const { punch, switchableUntil, forgotten } = outcome
      show({ kind: 'greeting', punch, switchableUntil, ...(forgotten ? { forgotten } : {}) })
    } else {
      show({ kind: 'already', punch: outcome.punch })
    }
  }

  function showRefusal(error: unknown): ErrorCode {
    const failure = error instanceof ClockfaceError ? error : null
    const code = failure?.code ?? ErrorCode.Internal
    show({ kind: 'refusal', code, details: failure?.details ?? {} })
    return code
  }

  /** Runs one call to main at a time; false when another call was still under way. */
  async function exclusively(call: () => Promise<void>): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    try {
      await call()
    } finally {
      busy.value = false
    }
    return true
  }

  /** Records a punch for a scanned badge (the reader's text without Enter). */
  async function recordBadge(badge: string): Promise<void> {
    await exclusively(async () => {
      try {
        showOutcome(await api.recordBadgePunch({ badge }))
      } catch (error) {
        showRefusal(error)
      }
    })
  }

  /** Tells the person a reader burst was garbled, without bothering main. */
  function reportUnreadableBadge(): void {
    if (!busy.value) show({ kind: 'refusal', code: ErrorCode.BadgeUnreadable, details: {} })
  }

  /** Records a punch for the chosen person after main checks the PIN. */
  async function recordPin(employeeId: string, pin: string): Promise<PinAttempt> {
    let attempt: PinAttempt = 'done'
    const ran = await exclusively(async () => {
      try {
        showOutcome(await api.recordPinPunch({ employeeId, pin }))
      } catch (error) {
        if (showRefusal(error) === ErrorCode.PinWrong) attempt = 'try-again'
      }
    })
    return ran ? attempt : 'ignored'
  }

  /** Flips the greeted punch ("check out instead"); the greeting then shows the corrected punch. */
  async function switchDirection(): Promise<void> {
    const punch = greeting.value?.punch
    if (!punch) return
    // The question about an earlier open day still stands after the direction is flipped.
    const forgotten = greeting.value?.forgotten
    await exclusively(async () => {
      try {
        const outcome = await api.switchPunchDirection({ punchId: punch.id })
        if (outcome.status === 'recorded' && forgotten && !outcome.forgotten) {
          outcome.forgotten = forgotten
        }
        showOutcome(outcome)
      } catch (error) {
        showRefusal(error)
      }
    })
  }

  return {
    notice,
    busy,
    greeting,
    already,
    refusal,
    verify,
    show,
    hold,
    dismiss,
    recordBadge,
    reportUnreadableBadge,
    recordPin,
    switchDirection,
  }
})
