import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type {
  DaySummaryView,
  ForgottenCheckout,
  MyWeekView,
} from '../../../electron/shared/attendance-types'
import { ErrorCode } from '../../../electron/shared/errors'
import type { KioskInfo, PunchOutcome } from '../../../electron/shared/types'
import { useKioskStore } from '../../../renderer/src/stores/kiosk'
import KioskView from '../../../renderer/src/views/KioskView.vue'
import {
  fakeClockEachTest,
  fakeKiosk,
  freshPinia,
  kioskInfo,
  punchView,
  refuse,
  scanBadge,
  settle,
  type FakeHandlers,
} from '../fake-kiosk'

enableAutoUnmount(afterEach)
fakeClockEachTest(Date.parse('2026-03-10T00:57:02Z'))

const PUNCH_ID = '6f1c2d3e-4b5a-4978-8d9e-0a1b2c3d4e5f'
const OPEN_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'

const monday: ForgottenCheckout = {
  openPunchId: OPEN_ID,
  date: '2026-03-09',
  weekday: 1,
  checkedInAt: '08:55',
  scheduleEnd: '18:00',
}

function withForgotten(forgotten: ForgottenCheckout = monday): PunchOutcome {
  return {
    status: 'recorded',
    punch: punchView({ id: PUNCH_ID }),
    switchableUntil: null,
    forgotten,
  }
}

function day(overrides: Partial<DaySummaryView>): DaySummaryView {
  return {
    employeeId: 'E1001',
    employeeName: 'Anna Li',
    date: '2026-03-09',
    status: 'present',
    firstIn: '08:55',
    lastOut: '18:02',
    workedMinutes: 547,
    lateMinutes: 0,
    earlyMinutes: 0,
    missingCheckout: false,
    autoCheckout: false,
    corrections: 0,
    ...overrides,
  }
}

async function mountKiosk(handlers: Partial<FakeHandlers>, info: Partial<KioskInfo> = {}) {
  const kiosk = fakeKiosk({ getKioskInfo: () => ({ ...kioskInfo, ...info }), ...handlers })
  const pinia = freshPinia()
  await useKioskStore().load()
  const wrapper = mount(KioskView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settle()
  scanBadge('00412345')
  await settle()
  return { kiosk, wrapper }
}

const answered = () => ({
  id: '12345678-1234-4234-8234-123456789012',
  employeeId: 'E1001',
  employeeName: 'Anna Li',
  openPunchId: OPEN_ID,
  date: '2026-03-09',
  checkedInAt: '2026-03-09T08:55:00+08:00',
  answer: 'schedule_end' as const,
  proposedAt: '2026-03-09T18:00:00+08:00',
  askedAt: '2026-03-10T00:57:02Z',
  state: 'pending' as const,
  decidedBy: null,
  decidedAt: null,
})

describe('greeting: a forgotten check-out', () => {
  it('asks on the greeting and answers with the schedule end in one tap', async () => {
    const { kiosk, wrapper } = await mountKiosk({
      recordBadgePunch: () => withForgotten(),
      answerForgottenCheckout: answered,
    })

    expect(wrapper.get('[data-testid="forgotten-ask"]').text()).toBe(
      "You didn't check out on Monday. When did you leave?",
    )
    await wrapper.get('[data-testid="forgotten-schedule-end"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('answerForgottenCheckout')).toEqual([
      { punchId: PUNCH_ID, answer: 'schedule_end', time: '18:00' },
    ])
    expect(wrapper.get('[data-testid="forgotten-thanks"]').text()).toBe(
      'Thanks — an admin will confirm it.',
    )
    expect(wrapper.find('[data-testid="forgotten-ask"]').exists()).toBe(false)
  })

  it('asks in Chinese with the weekday named the Chinese way', async () => {
    const { wrapper } = await mountKiosk(
      { recordBadgePunch: () => withForgotten({ ...monday, weekday: 5, date: '2026-03-06' }) },
      { language: 'zh-CN' },
    )

    expect(wrapper.get('[data-testid="forgotten-ask"]').text()).toBe(
      '您周五没有签退。您是几点离开的？',
    )
  })

  it('takes another time from the steppers, without a keyboard', async () => {
    const { kiosk, wrapper } = await mountKiosk({
      recordBadgePunch: () => withForgotten(),
      answerForgottenCheckout: answered,
    })

    await wrapper.get('[data-testid="forgotten-other-time"]').trigger('click')
    expect(wrapper.get('[data-testid="time-hours"]').text()).toBe('18')
    await wrapper.get('[data-testid="time-hour-up"]').trigger('click')
    await wrapper.get('[data-testid="time-minute-up-5"]').trigger('click')
    await wrapper.get('[data-testid="time-minute-up-5"]').trigger('click')
    await wrapper.get('[data-testid="time-minute-down-5"]').trigger('click')
    expect(wrapper.get('[data-testid="forgotten-time-submit"]').text()).toBe('I left at 19:05')
    await wrapper.get('[data-testid="forgotten-time-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('answerForgottenCheckout')).toEqual([
      { punchId: PUNCH_ID, answer: 'time', time: '19:05' },
    ])
    expect(wrapper.find('[data-testid="forgotten-thanks"]').exists()).toBe(true)
  })

  it('offers no schedule-end button when there is no schedule, and takes "I don\'t know"', async () => {
    const { kiosk, wrapper } = await mountKiosk({
      recordBadgePunch: () => withForgotten({ ...monday, scheduleEnd: null }),
      answerForgottenCheckout: answered,
    })

    expect(wrapper.find('[data-testid="forgotten-schedule-end"]').exists()).toBe(false)
    await wrapper.get('[data-testid="forgotten-unknown"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('answerForgottenCheckout')).toEqual([
      { punchId: PUNCH_ID, answer: 'unknown', time: null },
    ])
  })

  it('keeps the greeting up while the question is open, then clears it by itself', async () => {
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => withForgotten() })

    vi.advanceTimersByTime(5_000 + 1_000)
    await settle()
    expect(wrapper.find('[data-testid="forgotten-question"]').exists()).toBe(true)

    vi.advanceTimersByTime(20_000)
    await settle()
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })

  it('gives way at once to the next person scanning', async () => {
    let scans = 0
    const { wrapper } = await mountKiosk({
      recordBadgePunch: () =>
        ++scans === 1
          ? withForgotten()
          : {
              status: 'recorded',
              punch: punchView({ employeeName: 'Bo Chen' }),
              switchableUntil: null,
            },
    })

    scanBadge('00412346')
    await settle()

    expect(wrapper.get('[data-testid="greeting-name"]').text()).toBe('Bo Chen')
    expect(wrapper.find('[data-testid="forgotten-question"]').exists()).toBe(false)
  })

  it('says so when the answer came too late, and keeps the question', async () => {
    const { wrapper } = await mountKiosk({
      recordBadgePunch: () => withForgotten(),
      answerForgottenCheckout: () => refuse('ANSWER_EXPIRED' as ErrorCode),
    })

    await wrapper.get('[data-testid="forgotten-unknown"]').trigger('click')
    await settle()

    const error = wrapper.get('[data-testid="kiosk-error"]')
    expect(error.text()).toContain('Answer not sent')
    expect(error.text()).toContain('It is too late to answer here.')
    expect(wrapper.find('[data-testid="forgotten-ask"]').exists()).toBe(true)
  })
})

describe('greeting: my week', () => {
  const week: MyWeekView = {
    employeeName: 'Anna Li',
    days: [
      day({ date: '2026-03-09', missingCheckout: true, lastOut: null, status: 'incomplete' }),
      day({ date: '2026-03-10', firstIn: '09:20', lastOut: null, lateMinutes: 20 }),
    ],
    punches: [],
  }

  it("shows this week's days of the person just greeted, with flags", async () => {
    const { kiosk, wrapper } = await mountKiosk({
      recordBadgePunch: () => withForgotten(),
      getMyWeek: () => week,
    })

    await wrapper.get('[data-testid="my-week-open"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('getMyWeek')).toEqual([{ punchId: PUNCH_ID }])
    const days = wrapper.findAll('[data-testid="my-week-day"]')
    expect(days.map((d) => d.attributes('data-date'))).toEqual(['2026-03-09', '2026-03-10'])
    expect(days[0]!.get('[data-testid="my-week-times"]').text()).toBe('08:55 – —')
    expect(days[0]!.get('[data-testid="my-week-missing"]').text()).toBe('No check-out')
    expect(days[1]!.get('[data-testid="my-week-late"]').text()).toBe('Late')
    expect(days[1]!.find('[data-testid="my-week-missing"]').exists()).toBe(false)
  })

  it('closes by itself', async () => {
    const { wrapper } = await mountKiosk({
      recordBadgePunch: () => ({ status: 'recorded', punch: punchView(), switchableUntil: null }),
      getMyWeek: () => week,
    })

    await wrapper.get('[data-testid="my-week-open"]').trigger('click')
    await settle()
    vi.advanceTimersByTime(14_000)
    await settle()
    expect(wrapper.find('[data-testid="my-week"]').exists()).toBe(true)
    vi.advanceTimersByTime(1_000)
    await settle()
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })
})
