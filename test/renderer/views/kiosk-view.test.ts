import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import type { PunchOutcome } from '../../../electron/shared/types'
import { useKioskStore } from '../../../renderer/src/stores/kiosk'
import KioskView from '../../../renderer/src/views/KioskView.vue'
import {
  fakeKiosk,
  freshPinia,
  punchView,
  recorded,
  refuse,
  scanBadge,
  settle,
  fakeClockEachTest,
  type FakeHandlers,
} from '../fake-kiosk'

enableAutoUnmount(afterEach)

const NOW = Date.parse('2026-03-09T00:57:02Z')

fakeClockEachTest(NOW)

async function mountKiosk(handlers: Partial<FakeHandlers>) {
  const kiosk = fakeKiosk(handlers)
  const pinia = freshPinia()
  await useKioskStore().load()
  const wrapper = mount(KioskView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settle()
  return { kiosk, wrapper }
}

describe('kiosk view: badge punches', () => {
  it('greets the person by name with the direction and time once the punch is recorded', async () => {
    const { kiosk, wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punchView()) })

    scanBadge('00412345')
    await settle()

    expect(kiosk.callsTo('recordBadgePunch')).toEqual([{ badge: '00412345' }])
    const greeting = wrapper.get('[data-testid="greeting"]')
    expect(greeting.attributes('data-employee-id')).toBe('E1001')
    expect(greeting.attributes('data-punch-type')).toBe('in')
    expect(greeting.text()).toContain('Anna Li')
    expect(greeting.text()).toContain('Checked in 08:57')
    expect(wrapper.find('[data-testid="punch-late"]').exists()).toBe(false)
  })

  it('says "checked out" and flags leaving early', async () => {
    const punch = punchView({ type: 'out', localTime: '17:31', early: true })
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punch) })

    scanBadge('00412345')
    await settle()

    const greeting = wrapper.get('[data-testid="greeting"]')
    expect(greeting.attributes('data-punch-type')).toBe('out')
    expect(greeting.text()).toContain('Checked out 17:31')
    expect(wrapper.get('[data-testid="punch-early"]').text()).toBe('Left early')
  })

  it('flags a late check-in', async () => {
    const punch = punchView({ localTime: '09:12', late: true })
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punch) })

    scanBadge('00412345')
    await settle()

    expect(wrapper.get('[data-testid="punch-late"]').text()).toBe('Late')
  })

  it('tells a second scan that the person already checked in, without a new greeting', async () => {
    const already: PunchOutcome = { status: 'already', punch: punchView() }
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => already })

    scanBadge('00412345')
    await settle()

    const note = wrapper.get('[data-testid="already"]')
    expect(note.text()).toContain('Already checked in at 08:57')
    expect(note.attributes('data-employee-id')).toBe('E1001')
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })

  it.each([
    [ErrorCode.BadgeUnknown, 'This badge is not known'],
    [ErrorCode.RosterNotLoaded, 'The staff list has not arrived from the CRM yet'],
    [ErrorCode.BadgeUnreadable, 'could not be read. Please scan again'],
    [ErrorCode.EmployeeInactive, 'not active'],
    [ErrorCode.StoreFailed, 'could not be saved'],
    [ErrorCode.Internal, 'Something went wrong'],
  ])('shows why nothing was recorded for %s', async (code, words) => {
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => refuse(code) })

    scanBadge('00412345')
    await settle()

    const message = wrapper.get('[data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe(code)
    expect(message.text()).toContain('Not recorded')
    expect(message.text()).toContain(words)
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })

  it('says when badges work again after a flood of unknown ones', async () => {
    const { wrapper } = await mountKiosk({
      recordBadgePunch: () =>
        refuse(ErrorCode.BadgeRateLimited, { retryAt: '2026-03-09T01:05:00Z' }),
    })

    scanBadge('00412345')
    await settle()

    const message = wrapper.get('[data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe(ErrorCode.BadgeRateLimited)
    expect(message.text()).toMatch(/Too many unknown badges\. Badges work again after 09:05/)
  })

  it('asks for a new scan when a reader burst is garbled, without bothering main', async () => {
    const { kiosk, wrapper } = await mountKiosk({})

    scanBadge('1'.repeat(40))
    await settle()

    expect(kiosk.callsTo('recordBadgePunch')).toEqual([])
    expect(wrapper.get('[data-testid="kiosk-error"]').attributes('data-code')).toBe(
      'BADGE_UNREADABLE',
    )
  })

  it('does nothing when someone types the same digits by hand', async () => {
    const { kiosk, wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punchView()) })

    for (const key of [...'00412345', 'Enter']) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
      vi.advanceTimersByTime(180)
    }
    await settle()

    expect(kiosk.callsTo('recordBadgePunch')).toEqual([])
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })

  it('clears the greeting after the configured greeting time', async () => {
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punchView()) })

    scanBadge('00412345')
    await settle()
    vi.advanceTimersByTime(4900)
    await settle()
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(true)

    vi.advanceTimersByTime(100)
    await settle()
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="instruction"]').text()).toBe(
      'Scan your badge or use your PIN',
    )
  })
})

describe('kiosk view: check out instead', () => {
  const until = new Date(NOW + 3000).toISOString()

  it('switches the punch just made and greets with the corrected direction', async () => {
    const punch = punchView()
    const { kiosk, wrapper } = await mountKiosk({
      recordBadgePunch: () => recorded(punch, until),
      switchPunchDirection: () => recorded({ ...punch, type: 'out', corrected: true }),
    })
    scanBadge('00412345')
    await settle()

    const button = wrapper.get('[data-testid="switch-direction"]')
    expect(button.text()).toBe('Check out instead')
    await button.trigger('click')
    await settle()

    expect(kiosk.callsTo('switchPunchDirection')).toEqual([{ punchId: punch.id }])
    const greeting = wrapper.get('[data-testid="greeting"]')
    expect(greeting.attributes('data-punch-type')).toBe('out')
    expect(greeting.text()).toContain('Checked out 08:57')
    expect(wrapper.find('[data-testid="switch-direction"]').exists()).toBe(false)
  })

  it('offers the switch only until the switch window ends', async () => {
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punchView(), until) })
    useKioskStore().startClock()
    scanBadge('00412345')
    await settle()
    expect(wrapper.find('[data-testid="switch-direction"]').exists()).toBe(true)

    vi.advanceTimersByTime(4000)
    await settle()

    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="switch-direction"]').exists()).toBe(false)
    useKioskStore().stopClock()
  })

  it('keeps the greeting up for as long as it can still be switched', async () => {
    const later = new Date(NOW + 10_000).toISOString()
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punchView(), later) })
    scanBadge('00412345')
    await settle()
    vi.advanceTimersByTime(9_900)
    await settle()
    expect(wrapper.find('[data-testid="switch-direction"]').exists()).toBe(true)

    vi.advanceTimersByTime(100)
    await settle()
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })

  it('says so when the switch came too late', async () => {
    const { wrapper } = await mountKiosk({
      recordBadgePunch: () => recorded(punchView(), until),
      switchPunchDirection: () => refuse(ErrorCode.SwitchExpired),
    })
    scanBadge('00412345')
    await settle()

    await wrapper.get('[data-testid="switch-direction"]').trigger('click')
    await settle()

    const message = wrapper.get('[data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('SWITCH_EXPIRED')
    expect(message.text()).toContain('Not changed')
  })
})

describe('kiosk view: face and badge', () => {
  const verify = {
    status: 'verify-face' as const,
    employeeId: 'E1001',
    name: 'Wei Zhang',
    until: new Date(NOW + 15_000).toISOString(),
  }

  it('asks the badge holder to look at the camera, then says when the time ran out', async () => {
    const { wrapper } = await mountKiosk({ recordBadgePunch: () => verify })
    scanBadge('00412345')
    await settle()

    const card = wrapper.get('[data-testid="face-verify"]')
    expect(card.attributes('data-employee-id')).toBe('E1001')
    expect(card.text()).toContain('Wei Zhang, please look at the camera')
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)

    // It stays up for the whole window, longer than a greeting would.
    vi.advanceTimersByTime(14_000)
    await settle()
    expect(wrapper.find('[data-testid="face-verify"]').exists()).toBe(true)

    vi.advanceTimersByTime(1_000)
    await settle()
    expect(wrapper.find('[data-testid="face-verify"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('Your face did not confirm this badge in time')
  })
})
