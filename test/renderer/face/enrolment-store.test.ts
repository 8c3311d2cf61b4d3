import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import type { EnrolmentProgress, FacePerson } from '../../../electron/shared/types'
import { useAdminStore } from '../../../renderer/src/stores/admin'
import { useEnrolmentStore } from '../../../renderer/src/stores/enrolment'
import { adminSession, fakeKiosk, freshPinia, refuse, type FakeHandlers } from '../fake-kiosk'

const anna: FacePerson = { id: 'E1001', name: 'Anna Li', templates: 0, consentSignedAt: null }
const descriptor = Array.from({ length: 128 }, () => 0.02)

function progress(
  accepted: number,
  refused: EnrolmentProgress['refused'] = null,
): EnrolmentProgress {
  return { sessionId: 's-1', accepted, needed: 3, refused }
}

function setUp(handlers: Partial<FakeHandlers> = {}) {
  let accepted = 0
  const kiosk = fakeKiosk({
    listFacePeople: () => [anna],
    startEnrolment: () => progress(0),
    addEnrolmentSample: () => progress(++accepted),
    finishEnrolment: () => ({
      ...anna,
      templates: accepted,
      consentSignedAt: '2026-03-09T01:00:00Z',
    }),
    deleteFaceData: () => null,
    ...handlers,
  })
  freshPinia()
  return { kiosk, enrolment: useEnrolmentStore() }
}

describe('enrolment', () => {
  beforeEach(() => vi.useRealTimers())

  it('lists people, records consent on screen, collects samples and finishes', async () => {
    const { kiosk, enrolment } = setUp()
    await enrolment.search('')
    expect(enrolment.people).toEqual([anna])
    enrolment.choose(anna)
    expect(enrolment.step).toBe('consent')
    expect(kiosk.callsTo('startEnrolment')).toEqual([])

    await enrolment.agree()
    expect(kiosk.callsTo('startEnrolment')).toEqual([
      { employeeId: 'E1001', consent: 'on_screen_signature' },
    ])
    expect(enrolment.step).toBe('capture')

    await enrolment.finish()
    expect(kiosk.callsTo('finishEnrolment')).toEqual([])
    for (let i = 0; i < 5; i += 1) await enrolment.addSample(descriptor)
    // Main has enough after three: no more samples are sent.
    expect(kiosk.callsTo('addEnrolmentSample')).toHaveLength(3)
    expect(enrolment.complete).toBe(true)

    await enrolment.finish()
    expect(kiosk.callsTo('finishEnrolment')).toEqual([{ sessionId: 's-1' }])
    expect(enrolment.step).toBe('done')
    expect(enrolment.outcome).toMatchObject({ kind: 'enrolled', person: { templates: 3 } })
    expect(kiosk.callsTo('listFacePeople')).toHaveLength(2)
  })

  it('shows why main refused a sample, and forgets it once one is accepted', async () => {
    const answers = [progress(0, 'matches-someone-else'), progress(0, 'inconsistent'), progress(1)]
    const { enrolment } = setUp({ addEnrolmentSample: () => answers.shift()! })
    enrolment.choose(anna)
    await enrolment.agree()
    await enrolment.addSample(descriptor)
    expect(enrolment.refusal).toBe('matches-someone-else')
    await enrolment.addSample(descriptor)
    expect(enrolment.refusal).toBe('inconsistent')
    await enrolment.addSample(descriptor)
    expect(enrolment.refusal).toBeNull()
    expect(enrolment.progress?.accepted).toBe(1)
  })

  it('erases face data only after the admin confirms', async () => {
    const { kiosk, enrolment } = setUp()
    const enrolled = { ...anna, templates: 5 }
    enrolment.askDelete(enrolled)
    expect(kiosk.callsTo('deleteFaceData')).toEqual([])
    await enrolment.confirmDelete()
    expect(kiosk.callsTo('deleteFaceData')).toEqual([{ employeeId: 'E1001' }])
    expect(enrolment.outcome).toEqual({ kind: 'deleted', person: enrolled })
    expect(enrolment.confirmingDelete).toBeNull()
  })

  it('keeps the failure when main refuses, and claims nothing was done', async () => {
    const { enrolment } = setUp({ deleteFaceData: () => refuse(ErrorCode.EmployeeUnknown) })
    enrolment.askDelete(anna)
    await enrolment.confirmDelete()
    expect(enrolment.failure).toBe(ErrorCode.EmployeeUnknown)
    expect(enrolment.outcome).toBeNull()
  })

  it('locks the screen when main says admin mode has ended', async () => {
    const { enrolment } = setUp({
      unlockAdmin: () => adminSession(),
      lockAdmin: () => null,
      startEnrolment: () => refuse(ErrorCode.AdminRequired),
    })
    const admin = useAdminStore()
    await admin.unlock('2468')
    expect(admin.unlocked).toBe(true)
    enrolment.choose(anna)
    await enrolment.agree()
    expect(admin.unlocked).toBe(false)
    expect(enrolment.step).toBe('consent')
  })
})
