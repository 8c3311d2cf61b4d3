/**
 * What the person just greeted may do about their own record: answer "when did you leave?" for
 * an earlier open day, and look at their week. Both keep the greeting up a little longer.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { ForgottenAnswer, MyWeekView } from '../../../electron/shared/attendance-types'
import { ClockfaceError, ErrorCode } from '../../../electron/shared/errors'
import { api } from '../bridge'
import { QUESTION_MS, useAttendanceStore } from './attendance'
import { useKioskStore } from './kiosk'

/** How long "My week" stays open before the greeting closes by itself, ms. */
export const MY_WEEK_MS = 15_000

export type AnswerState = 'asking' | 'sending' | 'answered' | 'failed'

export const useOwnRecordStore = defineStore('own-record', () => {
  const attendance = useAttendanceStore()
  const kiosk = useKioskStore()

  const answerState = ref<AnswerState>('asking')
  const answerError = ref<ErrorCode | null>(null)
  const week = ref<MyWeekView | null>(null)
  const weekOpen = ref(false)
  const weekError = ref<ErrorCode | null>(null)

  const punchId = computed(() => attendance.greeting?.punch.id ?? null)
  const forgotten = computed(() => attendance.greeting?.forgotten ?? null)

  // Each greeting starts with a fresh question and a closed week.
  watch(punchId, (next, previous) => {
    if (next === previous) return
    answerState.value = 'asking'
    answerError.value = null
    week.value = null
    weekOpen.value = false
    weekError.value = null
  })

  const codeOf = (error: unknown) =>
    error instanceof ClockfaceError ? error.code : ErrorCode.Internal

  /** Sends the person's answer for the open day; the greeting then thanks them. */
  async function answer(choice: ForgottenAnswer, time: string | null): Promise<void> {
    const id = punchId.value
    if (!id || !forgotten.value || answerState.value === 'sending') return
    answerState.value = 'sending'
    attendance.hold(QUESTION_MS)
    try {
      await api.answerForgottenCheckout({ punchId: id, answer: choice, time })
      if (punchId.value !== id) return
      answerState.value = 'answered'
      answerError.value = null
      attendance.hold(kiosk.greetingMs)
    } catch (error) {
      if (punchId.value !== id) return
      answerState.value = 'failed'
      answerError.value = codeOf(error)
      attendance.hold(kiosk.greetingMs * 2)
    }
  }

  /** Keeps the question up while the person picks a time. */
  function stillAnswering(): void {
    if (forgotten.value && answerState.value !== 'answered') attendance.hold(QUESTION_MS)
  }

  /** Shows this week's days of the greeted person; the greeting closes by itself later. */
  async function openWeek(): Promise<void> {
    const id = punchId.value
    if (!id) return
    weekOpen.value = true
    attendance.hold(MY_WEEK_MS)
    if (week.value) return
    try {
      const loaded = await api.getMyWeek({ punchId: id })
      if (punchId.value === id) week.value = loaded
    } catch (error) {
      if (punchId.value === id) weekError.value = codeOf(error)
    }
  }

  function closeWeek(): void {
    weekOpen.value = false
  }

  return {
    answerState,
    answerError,
    forgotten,
    week,
    weekOpen,
    weekError,
    answer,
    stillAnswering,
    openWeek,
    closeWeek,
  }
})
