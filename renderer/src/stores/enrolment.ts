/**
 * Enrolling faces in admin mode: find the person, record their consent on screen, collect good
 * samples until main has enough, finish; or erase a person's face data. Main checks every
 * sample (someone else's face, or one unlike the others, is refused) and keeps the templates.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { EnrolmentProgress, FacePerson } from '../../../electron/shared/types'
import { ClockfaceError, ErrorCode } from '../../../electron/shared/errors'
import { api } from '../bridge'
import { useAdminStore } from './admin'

export type EnrolmentStep = 'choose' | 'consent' | 'capture' | 'done'
export type SampleRefusal = NonNullable<EnrolmentProgress['refused']>

export const useEnrolmentStore = defineStore('enrolment', () => {
  const admin = useAdminStore()

  const query = ref('')
  const people = ref<FacePerson[]>([])
  const loaded = ref(false)
  const step = ref<EnrolmentStep>('choose')
  const person = ref<FacePerson | null>(null)
  const progress = ref<EnrolmentProgress | null>(null)
  /** Why main refused the latest sample, until one is accepted. */
  const refusal = ref<SampleRefusal | null>(null)
  /** The person whose face data is about to be erased, once the admin confirms. */
  const confirmingDelete = ref<FacePerson | null>(null)
  const working = ref(false)
  /** What the last action led to, for one line under the list. */
  const outcome = ref<{ kind: 'enrolled' | 'deleted'; person: FacePerson } | null>(null)
  const failure = ref<ErrorCode | null>(null)

  const complete = computed(
    () => progress.value !== null && progress.value.accepted >= progress.value.needed,
  )

  let latestSearch = 0

  /** Runs one admin call; ADMIN_REQUIRED means main locked admin mode, so the screen does too. */
  async function call<T>(run: () => Promise<T>): Promise<{ value: T } | null> {
    failure.value = null
    try {
      return { value: await run() }
    } catch (error) {
      const code = error instanceof ClockfaceError ? error.code : ErrorCode.Internal
      if (code === ErrorCode.AdminRequired) void admin.lock()
      else failure.value = code
      return null
    }
  }

  /** Lists people whose name or id contains `text` (all, for an empty query). */
  async function search(text: string): Promise<void> {
    const ticket = ++latestSearch
    query.value = text.slice(0, 64)
    const found = await call(() => api.listFacePeople({ query: query.value.trim() }))
    if (ticket !== latestSearch || !found) return
    people.value = found.value
    loaded.value = true
  }

  /** Picks the person to enrol; consent comes next. */
  function choose(chosen: FacePerson): void {
    person.value = chosen
    progress.value = null
    refusal.value = null
    outcome.value = null
    step.value = 'consent'
  }

  /** The person agreed on screen: main records the consent with today's date and opens a session. */
  async function agree(): Promise<void> {
    const chosen = person.value
    if (!chosen || working.value) return
    working.value = true
    const started = await call(() =>
      api.startEnrolment({ employeeId: chosen.id, consent: 'on_screen_signature' }),
    )
    working.value = false
    if (!started) return
    progress.value = started.value
    step.value = 'capture'
  }

  /** Sends one good sample; main accepts it or says why not. */
  async function addSample(descriptor: number[]): Promise<void> {
    const session = progress.value
    if (!session || step.value !== 'capture' || complete.value) return
    const next = await call(() =>
      api.addEnrolmentSample({ sessionId: session.sessionId, descriptor }),
    )
    if (!next || step.value !== 'capture') return
    progress.value = next.value
    refusal.value = next.value.refused
  }

  /** Stores the samples as the person's templates. */
  async function finish(): Promise<void> {
    const session = progress.value
    if (!session || !complete.value || working.value) return
    working.value = true
    const enrolled = await call(() => api.finishEnrolment({ sessionId: session.sessionId }))
    working.value = false
    if (!enrolled) return
    outcome.value = { kind: 'enrolled', person: enrolled.value }
    step.value = 'done'
    await search(query.value)
  }

  /** Back to the list; an open session simply expires in main. */
  function cancel(): void {
    step.value = 'choose'
    person.value = null
    progress.value = null
    refusal.value = null
  }

  function askDelete(target: FacePerson | null): void {
    confirmingDelete.value = target
    outcome.value = null
  }

  /** Erases the confirmed person's face data and consent. */
  async function confirmDelete(): Promise<void> {
    const target = confirmingDelete.value
    if (!target || working.value) return
    working.value = true
    const done = await call(() => api.deleteFaceData({ employeeId: target.id }))
    working.value = false
    confirmingDelete.value = null
    if (!done) return
    outcome.value = { kind: 'deleted', person: target }
    await search(query.value)
  }

  return {
    query,
    people,
    loaded,
    step,
    person,
    progress,
    refusal,
    confirmingDelete,
    working,
    outcome,
    failure,
    complete,
    search,
    choose,
    agree,
    addSample,
    finish,
    cancel,
    askDelete,
    confirmDelete,
  }
})
