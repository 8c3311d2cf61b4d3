import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import { useSyncStore } from '../../../renderer/src/stores/sync'
import { fakeKiosk, freshPinia, refuse, settle } from '../fake-kiosk'

/** What the browser does when the machine sleeps or wakes, or the kiosk window is covered. */
function becomeVisible(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  document.dispatchEvent(new Event('visibilitychange'))
}

beforeEach(() => {
  freshPinia()
})
afterEach(() => {
  useSyncStore().stop()
  Reflect.deleteProperty(document, 'visibilityState')
})

describe('sync store: network hints', () => {
  it('tells main when the window comes back online', async () => {
    const kiosk = fakeKiosk()
    await useSyncStore().start()

    window.dispatchEvent(new Event('online'))
    await settle()

    expect(kiosk.callsTo('reportNetworkHint')).toEqual([{ kind: 'online' }])
  })

  it('tells main when the screen is visible again after being hidden, and only then', async () => {
    const kiosk = fakeKiosk()
    await useSyncStore().start()

    becomeVisible('visible')
    await settle()
    expect(kiosk.callsTo('reportNetworkHint')).toEqual([])

    becomeVisible('hidden')
    await settle()
    expect(kiosk.callsTo('reportNetworkHint')).toEqual([])

    becomeVisible('visible')
    becomeVisible('visible')
    await settle()
    expect(kiosk.callsTo('reportNetworkHint')).toEqual([{ kind: 'resume' }])
  })

  it('counts a screen that started hidden as hidden', async () => {
    const kiosk = fakeKiosk()
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    await useSyncStore().start()

    becomeVisible('visible')
    await settle()

    expect(kiosk.callsTo('reportNetworkHint')).toEqual([{ kind: 'resume' }])
  })

  it('shrugs off a hint main could not take', async () => {
    const kiosk = fakeKiosk({ reportNetworkHint: () => refuse(ErrorCode.Internal) })
    const sync = useSyncStore()
    await sync.start()

    window.dispatchEvent(new Event('online'))
    await settle()

    expect(kiosk.callsTo('reportNetworkHint')).toEqual([{ kind: 'online' }])
    expect(sync.status?.mode).toBe('online')
  })

  it('stops hinting once stopped', async () => {
    const kiosk = fakeKiosk()
    const sync = useSyncStore()
    await sync.start()
    sync.stop()

    window.dispatchEvent(new Event('online'))
    becomeVisible('hidden')
    becomeVisible('visible')
    await settle()

    expect(kiosk.callsTo('reportNetworkHint')).toEqual([])
  })
})
