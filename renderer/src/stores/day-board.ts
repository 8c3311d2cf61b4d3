/**
 * The admin's day: the board, one person's recent punches, corrections and decisions on the
 * check-out requests staff sent. Every action refreshes what it changed.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  CorrectionInput,
  DayBoardView,
  LedgerPunchView,
} from '../../../electron/shared/attendance-types'
import { ClockfaceError, ErrorCode, type ErrorDetails } from '../../../electron/shared/errors'
import { api } from '../bridge'
import { useAdminStore } from './admin'
import { useKioskStore } from './kiosk'
import { addDays, siteToday } from './working-days'

/** Days of history shown for a person, today included. */
export const PERSON_DAYS = 14

export interface Refusal {
  code: ErrorCode
  details: ErrorDetails
}

export interface BoardPerson {
  employeeId: string
  employeeName: string
}

/**
 * What a failed admin call said, as the error message shows it. ADMIN_REQUIRED means main ended
 * admin mode, so the screen locks too.
 */
export function refusalOf(error: unknown): Refusal {
  const failure = error instanceof ClockfaceError ? error : null
  const code = failure?.code ?? ErrorCode.Internal
  if (code === ErrorCode.AdminRequired) void useAdminStore().lock()
  return { code, details: failure?.details ?? {} }
}

export const useDayBoardStore = defineStore('day-board', () => {
  const kiosk = useKioskStore()
  const board = ref<DayBoardView | null>(null)
  const loadRefusal = ref<Refusal | null>(null)
  const person = ref<BoardPerson | null>(null)
  const punches = ref<LedgerPunchView[] | null>(null)
  const actionRefusal = ref<Refusal | null>(null)
  /** An action is under way; its buttons wait. */
  const working = ref(false)

  /** Reloads today's board. */
  async function refresh(): Promise<void> {
    try {
      board.value = await api.getDayBoard({ date: null })
      loadRefusal.value = null
    } catch (error) {
      loadRefusal.value = refusalOf(error)
    }
  }

  /** The board's day, or the site's today before the board has come. */
  function today(): string {
    return board.value?.date ?? siteToday(kiosk.now, kiosk.timeZone)
  }

  async function loadPunches(): Promise<void> {
    const shown = person.value
    if (!shown) return
    const to = today()
    const from = addDays(to, 1 - PERSON_DAYS)
    const list = await api.listPersonPunches({ employeeId: shown.employeeId, from, to })
    if (person.value?.employeeId === shown.employeeId) punches.value = list
  }

  /** Opens a person's punches of the last two weeks. */
  async function openPerson(next: BoardPerson): Promise<void> {
    person.value = next
    punches.value = null
    actionRefusal.value = null
    try {
      await loadPunches()
    } catch (error) {
      actionRefusal.value = refusalOf(error)
    }
  }

  function closePerson(): void {
    person.value = null
    punches.value = null
    actionRefusal.value = null
  }

  /** Runs one admin action, then refreshes the board (and the open person); true if it worked. */
  async function act(action: () => Promise<unknown>): Promise<boolean> {
    if (working.value) return false
    working.value = true
    actionRefusal.value = null
    let done = false
    try {
      await action()
      done = true
    } catch (error) {
      actionRefusal.value = refusalOf(error)
    }
    try {
      await Promise.all([refresh(), loadPunches()])
    } catch (error) {
      actionRefusal.value ??= refusalOf(error)
    } finally {
      working.value = false
    }
    return done
  }

  /** Adds, amends or voids a punch with a reason (audited by core). */
  function correct(input: CorrectionInput): Promise<boolean> {
    return act(() => api.correctPunch(input))
  }

  /** Confirms (with a time for "I don't know") or rejects a person's check-out request. */
  function decide(
    requestId: string,
    decision: 'confirm' | 'reject',
    time: string | null,
    reason: string | null,
  ): Promise<boolean> {
    return act(() => api.decideCorrectionRequest({ requestId, decision, time, reason }))
  }

  return {
    board,
    loadRefusal,
    person,
    punches,
    actionRefusal,
    working,
    refresh,
    today,
    openPerson,
    closePerson,
    correct,
    decide,
  }
})
