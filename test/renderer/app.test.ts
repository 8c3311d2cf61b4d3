import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ClockfaceError, ErrorCode } from '../../electron/shared/errors'
import type { KioskInfo } from '../../electron/shared/types'
import App from '../../renderer/src/App.vue'
import { fakeKiosk, freshPinia, kioskInfo, settle, fakeClockEachTest } from './fake-kiosk'

enableAutoUnmount(afterEach)

fakeClockEachTest(Date.parse('2026-03-08T00:57:02Z'))

describe('App', () => {
  it('shows the kiosk for the site once it knows who it is', async () => {
    fakeKiosk()
    const wrapper = mount(App, { global: { plugins: [freshPinia()] } })
    await settle()

    expect(wrapper.get('[data-testid="site-name"]').text()).toBe('Shanghai HQ')
    expect(wrapper.get('[data-testid="clock-time"]').text()).toBe('08:57')
    expect(wrapper.get('[data-testid="clock-date"]').text()).toContain('March')
    expect(wrapper.get('[data-testid="use-pin"]').text()).toBe('Use PIN')
    expect(wrapper.get('[data-testid="sync-status"]').text()).toBe('All punches uploaded')
  })

  it('speaks the language of the kiosk and tells the page which it is', async () => {
    fakeKiosk({ getKioskInfo: (): KioskInfo => ({ ...kioskInfo, language: 'zh-CN' }) })
    const wrapper = mount(App, { global: { plugins: [freshPinia()] } })
    await settle()

    expect(wrapper.get('[data-testid="instruction"]').text()).toBe('请刷工卡或使用 PIN 码')
    expect(wrapper.get('[data-testid="clock-date"]').text()).toContain('2026年3月8日')
    expect(document.documentElement.lang).toBe('zh-CN')
  })

  it('says clearly when the kiosk service cannot be reached, and recovers by itself', async () => {
    let reachable = false
    fakeKiosk({
      getKioskInfo: () => {
        if (!reachable) throw new ClockfaceError(ErrorCode.Internal, 'Cannot reach the service')
        return kioskInfo
      },
    })
    const wrapper = mount(App, {
      props: { retrySeconds: 5 },
      global: { plugins: [freshPinia()] },
    })
    await settle()

    const screen = wrapper.get('[data-testid="startup-error"]')
    expect(screen.attributes('data-code')).toBe('INTERNAL')
    expect(screen.text()).toContain('The kiosk cannot start')
    expect(screen.text()).toContain('Cannot reach the service')

    reachable = true
    vi.advanceTimersByTime(5000)
    await settle()

    expect(wrapper.find('[data-testid="startup-error"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="site-name"]').text()).toBe('Shanghai HQ')
  })
})
