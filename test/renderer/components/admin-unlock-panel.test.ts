import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import type { KioskInfo } from '../../../electron/shared/types'
import App from '../../../renderer/src/App.vue'
import {
  adminSession,
  fakeKiosk,
  freshPinia,
  kioskInfo,
  punchView,
  recorded,
  refuse,
  scanBadge,
  settle,
  supervisorSession,
  fakeClockEachTest,
  type FakeHandlers,
} from '../fake-kiosk'

enableAutoUnmount(afterEach)

fakeClockEachTest(Date.parse('2026-03-09T00:57:02Z'))

const session = () => adminSession()

async function mountApp(handlers: Partial<FakeHandlers>) {
  const kiosk = fakeKiosk(handlers)
  const wrapper = mount(App, { global: { plugins: [freshPinia()] }, attachTo: document.body })
  await settle()
  return { kiosk, wrapper }
}

async function tapDigits(wrapper: VueWrapper, digits: string) {
  for (const digit of digits) await wrapper.get(`[data-testid="pin-key-${digit}"]`).trigger('click')
}

/** Opens the admin panel from the kiosk and submits `pin` on its keypad. */
async function tryAdminPin(wrapper: VueWrapper, pin: string) {
  await wrapper.get('[data-testid="admin-open"]').trigger('click')
  await tapDigits(wrapper, pin)
  await wrapper.get('[data-testid="pin-submit"]').trigger('click')
  await settle()
}

describe('opening admin mode', () => {
  it('offers a discreet Admin button that opens a PIN panel', async () => {
    const { wrapper } = await mountApp({})

    const button = wrapper.get('[data-testid="admin-open"]')
    expect(button.text()).toBe('Admin')
    expect(wrapper.find('[data-testid="admin-unlock"]').exists()).toBe(false)

    await button.trigger('click')

    const panel = wrapper.get('[data-testid="admin-unlock"]')
    expect(panel.text()).toContain('enter the admin PIN')
    expect(panel.find('[data-testid="pin-dots"]').exists()).toBe(true)
  })

  it('labels the button in Chinese when the kiosk speaks it', async () => {
    const { wrapper } = await mountApp({
      getKioskInfo: (): KioskInfo => ({ ...kioskInfo, language: 'zh-CN' }),
    })

    expect(wrapper.get('[data-testid="admin-open"]').text()).toBe('管理')
  })

  it('opens admin mode in place of the kiosk with the right PIN', async () => {
    const { kiosk, wrapper } = await mountApp({ unlockAdmin: session })

    await tryAdminPin(wrapper, '2468')

    expect(kiosk.callsTo('unlockAdmin')).toEqual([{ pin: '2468' }])
    expect(wrapper.find('[data-testid="kiosk"]').exists()).toBe(false)
    const view = wrapper.get('[data-testid="admin-view"]')
    expect(view.text()).toContain('Admin mode')
    expect(wrapper.get('[data-testid="admin-site-name"]').text()).toBe('Shanghai HQ')
  })

  it('says how many attempts are left after a wrong PIN, and lets the admin try again', async () => {
    let wrong = true
    const { kiosk, wrapper } = await mountApp({
      unlockAdmin: () => (wrong ? refuse(ErrorCode.PinWrong, { attemptsLeft: 2 }) : session()),
    })

    await tryAdminPin(wrapper, '1111')

    const panel = wrapper.get('[data-testid="admin-unlock"]')
    const message = panel.get('[data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('PIN_WRONG')
    expect(message.text()).toContain('Admin mode not opened')
    expect(message.text()).toContain('Wrong PIN. Attempts left: 2.')
    expect(panel.get('[data-testid="pin-dots"]').attributes('data-length')).toBe('0')

    wrong = false
    await tapDigits(wrapper, '2468')
    expect(wrapper.find('[data-testid="kiosk-error"]').exists()).toBe(false)
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('unlockAdmin')).toEqual([{ pin: '1111' }, { pin: '2468' }])
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(true)
  })

  it('says until when admin mode is locked out, in the site time', async () => {
    const { wrapper } = await mountApp({
      unlockAdmin: () => refuse(ErrorCode.PinLocked, { lockedUntil: '2026-03-09T01:12:00Z' }),
    })

    await tryAdminPin(wrapper, '1111')

    const message = wrapper.get('[data-testid="admin-unlock"] [data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('PIN_LOCKED')
    expect(message.text()).toContain('try again after 09:12')
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(false)
  })

  it('says when admin mode is not set up on this kiosk', async () => {
    const { wrapper } = await mountApp({
      unlockAdmin: () => refuse(ErrorCode.AdminNotConfigured),
    })

    await tryAdminPin(wrapper, '1234')

    const message = wrapper.get('[data-testid="admin-unlock"] [data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('ADMIN_NOT_CONFIGURED')
    expect(message.text()).toContain('Admin mode is not set up on this kiosk')
  })

  it('returns to the kiosk on cancel, and when left alone', async () => {
    const { wrapper } = await mountApp({})
    await wrapper.get('[data-testid="admin-open"]').trigger('click')

    await wrapper.get('[data-testid="admin-cancel"]').trigger('click')
    expect(wrapper.find('[data-testid="admin-unlock"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="use-pin"]').exists()).toBe(true)

    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    vi.advanceTimersByTime(30_000)
    await settle()
    expect(wrapper.find('[data-testid="admin-unlock"]').exists()).toBe(false)
  })

  it('takes a scanned badge as who signs in, punches nothing, and drops the digits it typed', async () => {
    const { kiosk, wrapper } = await mountApp({
      recordBadgePunch: () => recorded(punchView()),
      unlockAdmin: () => supervisorSession(),
    })
    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    await tapDigits(wrapper, '24')
    expect(wrapper.find('[data-testid="admin-badge-read"]').exists()).toBe(false)

    scanBadge('00412345')
    await settle()

    expect(kiosk.callsTo('recordBadgePunch')).toEqual([])
    expect(kiosk.callsTo('unlockAdmin')).toEqual([])
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="pin-dots"]').attributes('data-length')).toBe('0')
    expect(wrapper.get('[data-testid="admin-badge-read"]').text()).toBe(
      'Badge read. Now enter your own PIN.',
    )

    await tapDigits(wrapper, '1357')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('unlockAdmin')).toEqual([{ pin: '1357', badge: '00412345' }])
    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe(
      'Signed in: 李娜 (supervisor)',
    )
  })

  it('keeps the badge after a wrong PIN, so the person only types the PIN again', async () => {
    let wrong = true
    const { kiosk, wrapper } = await mountApp({
      unlockAdmin: () =>
        wrong ? refuse(ErrorCode.PinWrong, { attemptsLeft: 4 }) : supervisorSession(),
    })
    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    scanBadge('00412345')
    await settle()
    await tapDigits(wrapper, '0000')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(wrapper.get('[data-testid="kiosk-error"]').text()).toContain('Attempts left: 4')
    expect(wrapper.find('[data-testid="admin-badge-read"]').exists()).toBe(true)

    wrong = false
    await tapDigits(wrapper, '1357')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('unlockAdmin')).toEqual([
      { pin: '0000', badge: '00412345' },
      { pin: '1357', badge: '00412345' },
    ])
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(true)
  })

  it('says so when the badge belongs to staff, who may not open admin mode', async () => {
    const { wrapper } = await mountApp({
      unlockAdmin: () => refuse(ErrorCode.PermissionDenied),
    })
    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    scanBadge('00412345')
    await settle()
    await tapDigits(wrapper, '1111')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    const message = wrapper.get('[data-testid="admin-unlock"] [data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('PERMISSION_DENIED')
    expect(message.text()).toContain('Admin mode not opened')
    expect(message.text()).toContain('Your role does not allow this. Please ask an admin.')
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(false)
  })

  it('says a badge could not be read, and the next digit clears it', async () => {
    const { kiosk, wrapper } = await mountApp({ unlockAdmin: session })
    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    scanBadge('12')
    await settle()

    const message = wrapper.get('[data-testid="admin-unlock"] [data-testid="kiosk-error"]')
    expect(message.attributes('data-code')).toBe('BADGE_UNREADABLE')
    expect(wrapper.find('[data-testid="admin-badge-read"]').exists()).toBe(false)

    await tapDigits(wrapper, '2')
    expect(wrapper.find('[data-testid="kiosk-error"]').exists()).toBe(false)
    expect(kiosk.callsTo('unlockAdmin')).toEqual([])
  })

  it('goes back to the admin PIN alone on "Use the admin PIN instead"', async () => {
    const { kiosk, wrapper } = await mountApp({ unlockAdmin: session })
    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    scanBadge('00412345')
    await settle()

    await wrapper.get('[data-testid="admin-use-pin"]').trigger('click')
    expect(wrapper.find('[data-testid="admin-badge-read"]').exists()).toBe(false)
    await tapDigits(wrapper, '2468')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('unlockAdmin')).toEqual([{ pin: '2468' }])
    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe(
      'Signed in with the admin PIN',
    )
  })

  it('asks for the badge and the PIN in Chinese when the kiosk speaks it', async () => {
    const { wrapper } = await mountApp({
      getKioskInfo: (): KioskInfo => ({ ...kioskInfo, language: 'zh-CN' }),
      unlockAdmin: () => supervisorSession(),
    })
    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    expect(wrapper.get('[data-testid="admin-unlock"]').text()).toContain(
      '管理模式：请刷您的工卡，或输入管理员 PIN 码',
    )
    scanBadge('00412345')
    await settle()
    expect(wrapper.get('[data-testid="admin-badge-read"]').text()).toBe(
      '已读取工卡，请输入您本人的 PIN 码。',
    )
    expect(wrapper.get('[data-testid="admin-use-pin"]').text()).toBe('改用管理员 PIN 码')
    await tapDigits(wrapper, '1357')
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe('已登录：李娜（主管）')
  })
})
