import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  CorrectionRequestView,
  DayBoardView,
  DaySummaryView,
  LedgerPunchView,
} from '../../../electron/shared/attendance-types'
import type { ErrorCode } from '../../../electron/shared/errors'
import App from '../../../renderer/src/App.vue'
import {
  fakeClockEachTest,
  fakeKiosk,
  freshPinia,
  punchView,
  adminSession,
  refuse,
  settle,
  type FakeHandlers,
} from '../fake-kiosk'

enableAutoUnmount(afterEach)
fakeClockEachTest(Date.parse('2026-03-10T02:00:00Z'))

const REQUEST_ID = '12345678-1234-4234-8234-123456789012'
const OPEN_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
const FIXED_ID = '0f0e0d0c-0b0a-4909-8807-060504030201'

function summary(overrides: Partial<DaySummaryView>): DaySummaryView {
  return {
    employeeId: 'E1001',
    employeeName: 'Anna Li',
    date: '2026-03-10',
    status: 'present',
    firstIn: '08:55',
    lastOut: null,
    workedMinutes: 0,
    lateMinutes: 0,
    earlyMinutes: 0,
    missingCheckout: false,
    autoCheckout: false,
    corrections: 0,
    ...overrides,
  }
}

function request(overrides: Partial<CorrectionRequestView> = {}): CorrectionRequestView {
  return {
    id: REQUEST_ID,
    employeeId: 'E3003',
    employeeName: 'Chen Wei',
    openPunchId: OPEN_ID,
    date: '2026-03-09',
    checkedInAt: '2026-03-09T08:50:00+08:00',
    answer: 'time',
    proposedAt: '2026-03-09T17:45:00+08:00',
    askedAt: '2026-03-10T00:50:00Z',
    state: 'pending',
    decidedBy: null,
    decidedAt: null,
    ...overrides,
  }
}

function board(overrides: Partial<DayBoardView> = {}): DayBoardView {
  return {
    date: '2026-03-10',
    at: '2026-03-10T02:00:00Z',
    inNow: [summary({})],
    lateToday: [
      summary({ employeeId: 'E2002', employeeName: 'Bo Chen', firstIn: '09:20', lateMinutes: 20 }),
    ],
    notYetIn: [summary({ employeeId: 'E4004', employeeName: 'Dana Wu', status: 'absent' })],
    openCheckouts: [
      {
        employeeId: 'E3003',
        employeeName: 'Chen Wei',
        date: '2026-03-09',
        checkedInAt: '08:50',
        punchId: OPEN_ID,
      },
    ],
    pendingCorrections: [request()],
    ...overrides,
  }
}

function ledger(overrides: Partial<LedgerPunchView>): LedgerPunchView {
  return {
    ...punchView({ employeeId: 'E3003', employeeName: 'Chen Wei' }),
    correction: null,
    supersededBy: null,
    effective: true,
    ...overrides,
  }
}

async function openToday(handlers: Partial<FakeHandlers>) {
  const kiosk = fakeKiosk({
    unlockAdmin: () => adminSession(),
    getDayBoard: () => board(),
    ...handlers,
  })
  const wrapper = mount(App, { global: { plugins: [freshPinia()] }, attachTo: document.body })
  await settle()
  await wrapper.get('[data-testid="admin-open"]').trigger('click')
  for (const digit of '2468') await wrapper.get(`[data-testid="pin-key-${digit}"]`).trigger('click')
  await wrapper.get('[data-testid="pin-submit"]').trigger('click')
  await settle()
  return { kiosk, wrapper }
}

const names = (wrapper: VueWrapper, group: string) =>
  wrapper
    .get(`[data-testid="board-${group}"]`)
    .findAll('[data-testid="board-person"]')
    .map((line) => line.attributes('data-employee-id'))

describe('admin: the day board', () => {
  it('is the first tab and shows who is in, late, not yet in, left open and waiting', async () => {
    const { kiosk, wrapper } = await openToday({})

    const tabs = wrapper.findAll('[role="tab"]').map((tab) => tab.text())
    expect(tabs).toEqual(['Today', 'Reports', 'Audit', 'Uploads', 'Faces'])
    expect(kiosk.callsTo('getDayBoard')).toEqual([{ date: null }])
    expect(names(wrapper, 'in-now')).toEqual(['E1001'])
    expect(names(wrapper, 'late-today')).toEqual(['E2002'])
    expect(wrapper.get('[data-testid="board-late-today"]').text()).toContain('09:20, 20 min late')
    expect(names(wrapper, 'not-yet-in')).toEqual(['E4004'])
    expect(names(wrapper, 'open-checkouts')).toEqual(['E3003'])
    const pending = wrapper.get('[data-testid="correction-request"]')
    expect(pending.text()).toContain('Chen Wei')
    expect(pending.text()).toContain('says they left at 17:45')
  })

  it("opens a person's last two weeks, superseded punches struck through", async () => {
    const { kiosk, wrapper } = await openToday({
      listPersonPunches: () => [
        ledger({ id: OPEN_ID, localDate: '2026-03-09', supersededBy: FIXED_ID, effective: false }),
        ledger({
          id: FIXED_ID,
          localDate: '2026-03-09',
          localTime: '08:45',
          occurredAt: '2026-03-09T08:45:00+08:00',
          method: 'manual',
          corrected: true,
          correction: {
            kind: 'amended',
            supersedes: OPEN_ID,
            reason: 'Wrong time recorded',
            enteredBy: 'admin',
            enteredAt: '2026-03-10T01:00:00Z',
          },
        }),
      ],
    })

    await wrapper.findAll('[data-testid="board-person"]').at(-1)!.trigger('click')
    await settle()

    expect(kiosk.callsTo('listPersonPunches')).toEqual([
      { employeeId: 'E3003', from: '2026-02-25', to: '2026-03-10' },
    ])
    const punches = wrapper.findAll('[data-testid="ledger-punch"]')
    expect(punches).toHaveLength(2)
    const old = wrapper.get(`[data-testid="ledger-punch"][data-punch-id="${OPEN_ID}"]`)
    expect(old.attributes('data-effective')).toBe('false')
    expect(old.find('s').exists()).toBe(true)
    expect(old.find('[data-testid="punch-void"]').exists()).toBe(false)
    const fixed = wrapper.get(`[data-testid="ledger-punch"][data-punch-id="${FIXED_ID}"]`)
    expect(fixed.get('[data-testid="ledger-correction"]').text()).toContain('Wrong time recorded')
  })

  it('voids a punch only with a reason, then shows the board and punches again', async () => {
    const { kiosk, wrapper } = await openToday({
      listPersonPunches: () => [ledger({ id: OPEN_ID })],
      correctPunch: () => ledger({ id: FIXED_ID }),
    })
    await wrapper.findAll('[data-testid="board-person"]').at(-1)!.trigger('click')
    await settle()

    await wrapper.get('[data-testid="punch-void"]').trigger('click')
    const submit = wrapper.get('[data-testid="correction-submit"]')
    expect(submit.attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="correction-reason"]').setValue('Test punch')
    await submit.trigger('click')
    await settle()

    expect(kiosk.callsTo('correctPunch')).toEqual([
      { kind: 'voided', punchId: OPEN_ID, reason: 'Test punch' },
    ])
    expect(kiosk.callsTo('getDayBoard')).toHaveLength(2)
    expect(kiosk.callsTo('listPersonPunches')).toHaveLength(2)
    expect(wrapper.find('[data-testid="correction-form"]').exists()).toBe(false)
  })

  it("adds a missing check-out at the site's wall-clock time", async () => {
    const { kiosk, wrapper } = await openToday({
      listPersonPunches: () => [],
      correctPunch: () => ledger({ id: FIXED_ID }),
    })
    await wrapper.findAll('[data-testid="board-person"]').at(-1)!.trigger('click')
    await settle()

    await wrapper.get('[data-testid="punch-add"]').trigger('click')
    await wrapper.get('[data-testid="correction-day-earlier"]').trigger('click')
    await wrapper.get('[data-testid="time-minute-up-10"]').trigger('click')
    await wrapper.get('[data-testid="correction-quick-reason"]').trigger('click')
    await wrapper.get('[data-testid="correction-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('correctPunch')).toEqual([
      {
        kind: 'added',
        employeeId: 'E3003',
        type: 'out',
        at: '2026-03-09T18:10:00+08:00',
        reason: 'Forgot to punch',
      },
    ])
  })

  it('says why a correction was refused', async () => {
    const { wrapper } = await openToday({
      listPersonPunches: () => [ledger({ id: OPEN_ID })],
      correctPunch: () => refuse('PUNCH_SUPERSEDED' as ErrorCode),
    })
    await wrapper.findAll('[data-testid="board-person"]').at(-1)!.trigger('click')
    await settle()
    await wrapper.get('[data-testid="punch-void"]').trigger('click')
    await wrapper.get('[data-testid="correction-reason"]').setValue('Wrong punch')
    await wrapper.get('[data-testid="correction-submit"]').trigger('click')
    await settle()

    const error = wrapper.get('[data-testid="person-punches"] [data-testid="kiosk-error"]')
    expect(error.attributes('data-code')).toBe('PUNCH_SUPERSEDED')
    expect(error.text()).toContain('That punch was corrected meanwhile.')
    expect(wrapper.find('[data-testid="correction-form"]').exists()).toBe(true)
  })

  it('confirms a request as given, and asks a time when the person did not know', async () => {
    let pending = [request(), request({ id: OPEN_ID, answer: 'unknown', proposedAt: null })]
    const { kiosk, wrapper } = await openToday({
      getDayBoard: () => board({ pendingCorrections: pending }),
      decideCorrectionRequest: ({ requestId }) => {
        pending = pending.filter((r) => r.id !== requestId)
        return request({ id: requestId, state: 'confirmed' })
      },
    })

    const items = wrapper.findAll('[data-testid="correction-request"]')
    await items[0]!.get('[data-testid="request-confirm"]').trigger('click')
    await settle()
    expect(kiosk.callsTo('decideCorrectionRequest')).toEqual([
      { requestId: REQUEST_ID, decision: 'confirm', time: null, reason: null },
    ])
    expect(wrapper.findAll('[data-testid="correction-request"]')).toHaveLength(1)

    const unknown = wrapper.get('[data-testid="correction-request"]')
    expect(unknown.text()).toContain("doesn't know when they left")
    await unknown.get('[data-testid="request-confirm"]').trigger('click')
    expect(kiosk.callsTo('decideCorrectionRequest')).toHaveLength(1)
    await unknown.get('[data-testid="time-hour-down"]').trigger('click')
    await unknown.get('[data-testid="request-confirm"]').trigger('click')
    await settle()
    expect(kiosk.callsTo('decideCorrectionRequest')[1]).toEqual({
      requestId: OPEN_ID,
      decision: 'confirm',
      time: '17:00',
      reason: null,
    })
    expect(wrapper.get('[data-testid="board-pending"]').text()).toContain('Nothing waiting')
  })

  it('rejects a request and shows a decided one as such', async () => {
    const { kiosk, wrapper } = await openToday({
      decideCorrectionRequest: () => refuse('REQUEST_DECIDED' as ErrorCode),
    })

    await wrapper.get('[data-testid="request-reject"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('decideCorrectionRequest')).toEqual([
      { requestId: REQUEST_ID, decision: 'reject', time: null, reason: null },
    ])
    expect(wrapper.get('[data-testid="day-board"] [data-testid="kiosk-error"]').text()).toContain(
      'That request was decided already.',
    )
  })
})
