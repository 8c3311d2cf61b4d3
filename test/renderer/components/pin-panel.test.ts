import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
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

fakeClockEachTest(Date.parse('2026-03-09T00:57:02Z'))

const people = [
  { id: 'E1001', name: 'Anna Li' },
  { id: 'E1002', name: 'Annika Berg' },
]

async function mountKiosk(handlers: Partial<FakeHandlers>) {
  const kiosk = fakeKiosk({
    findEmployees: ({ query }) => people.filter((p) => p.name.toLowerCase().includes(query)),
    ...handlers,
  })
  const pinia = freshPinia()
  await useKioskStore().load()
  const wrapper = mount(KioskView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settle()
  return { kiosk, wrapper }
}

/** Opens the panel, searches "ann" as a person types it, and picks Anna. */
async function chooseAnna(wrapper: VueWrapper) {
  await wrapper.get('[data-testid="use-pin"]').trigger('click')
  const search = wrapper.get('[data-testid="pin-search"]')
  for (const text of ['a', 'an', 'ann']) {
    await search.setValue(text)
    vi.advanceTimersByTime(100)
  }
  vi.advanceTimersByTime(250)
  await settle()
  await wrapper.get('[data-testid="pin-employee"][data-employee-id="E1001"]').trigger('click')
}

async function tapDigits(wrapper: VueWrapper, digits: string) {
  for (const digit of digits) await wrapper.get(`[data-testid="pin-key-${digit}"]`).trigger('click')
}

describe('PIN panel', () => {
  it('searches as you type, then records a punch for the chosen person and the typed PIN', async () => {
    const { kiosk, wrapper } = await mountKiosk({
      recordPinPunch: () => recorded(punchView({ method: 'pin' })),
    })

    await chooseAnna(wrapper)
    expect(kiosk.callsTo('findEmployees')).toEqual([{ query: 'ann' }])
    expect(wrapper.get('[data-testid="pin-panel"]').text()).toContain('Anna Li, enter your PIN')

    await tapDigits(wrapper, '1234')
    expect(wrapper.get('[data-testid="pin-dots"]').attributes('data-length')).toBe('4')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('recordPinPunch')).toEqual([{ employeeId: 'E1001', pin: '1234' }])
    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="greeting"]').attributes('data-employee-id')).toBe('E1001')
  })

  it('keeps the panel open after a wrong PIN and says how many attempts are left', async () => {
    const { wrapper } = await mountKiosk({
      recordPinPunch: () => refuse(ErrorCode.PinWrong, { attemptsLeft: 2 }),
    })
    await chooseAnna(wrapper)
    await tapDigits(wrapper, '9999')

    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(true)
    const message = wrapper.get('[data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('PIN_WRONG')
    expect(message.text()).toContain('Wrong PIN. Attempts left: 2.')
    expect(wrapper.get('[data-testid="pin-dots"]').attributes('data-length')).toBe('0')
  })

  it('closes and shows until when a locked PIN stays locked, in the site time', async () => {
    const { wrapper } = await mountKiosk({
      recordPinPunch: () => refuse(ErrorCode.PinLocked, { lockedUntil: '2026-03-09T01:12:00Z' }),
    })
    await chooseAnna(wrapper)
    await tapDigits(wrapper, '1111')

    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(false)
    const message = wrapper.get('[data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('PIN_LOCKED')
    expect(message.text()).toContain('try again after 09:12')
  })

  it('takes digits and Enter from a physical keyboard', async () => {
    const { kiosk, wrapper } = await mountKiosk({ recordPinPunch: () => recorded(punchView()) })
    await chooseAnna(wrapper)

    for (const key of [...'2468', 'Enter']) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
      vi.advanceTimersByTime(200)
    }
    await settle()

    expect(kiosk.callsTo('recordPinPunch')).toEqual([{ employeeId: 'E1001', pin: '2468' }])
  })

  it('closes by itself when nobody touches it', async () => {
    const { wrapper } = await mountKiosk({})
    await wrapper.get('[data-testid="use-pin"]').trigger('click')
    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(true)

    vi.advanceTimersByTime(30_000)
    await settle()

    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(false)
  })

  it('closes on cancel', async () => {
    const { wrapper } = await mountKiosk({})
    await wrapper.get('[data-testid="use-pin"]').trigger('click')

    await wrapper.get('[data-testid="pin-cancel"]').trigger('click')

    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(false)
  })

  it('leaves keys typed into the search field to the field, even at reader speed', async () => {
    const { kiosk, wrapper } = await mountKiosk({ recordBadgePunch: () => recorded(punchView()) })
    await wrapper.get('[data-testid="use-pin"]').trigger('click')

    scanBadge('00412345', wrapper.get('[data-testid="pin-search"]').element)
    await settle()

    expect(kiosk.callsTo('recordBadgePunch')).toEqual([])
    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(true)
  })

  it('lets a badge scan win over a half-typed PIN, without submitting the PIN', async () => {
    const { kiosk, wrapper } = await mountKiosk({
      recordBadgePunch: () => recorded(punchView()),
      recordPinPunch: () => recorded(punchView()),
    })
    await chooseAnna(wrapper)
    await tapDigits(wrapper, '12')

    scanBadge('00412345')
    await settle()

    expect(kiosk.callsTo('recordBadgePunch')).toEqual([{ badge: '00412345' }])
    expect(kiosk.callsTo('recordPinPunch')).toEqual([])
    expect(wrapper.find('[data-testid="pin-panel"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(true)
  })
})
