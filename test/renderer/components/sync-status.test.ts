import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SyncStatus as SyncStatusValue } from '../../../electron/shared/types'
import SyncStatus from '../../../renderer/src/components/SyncStatus.vue'
import { useKioskStore } from '../../../renderer/src/stores/kiosk'
import { useSyncStore } from '../../../renderer/src/stores/sync'
import { fakeKiosk, freshPinia, kioskInfo, settle } from '../fake-kiosk'

function status(overrides: Partial<SyncStatusValue>): SyncStatusValue {
  return {
    mode: 'online',
    pending: 0,
    oldestPendingAt: null,
    lastSyncAt: null,
    offlineSince: null,
    roster: { state: 'fresh', lastSyncAt: '2026-03-09T03:58:00Z', failures: 0 },
    reconciliation: null,
    ...overrides,
  }
}

async function mountStatus(value: SyncStatusValue, language: 'en' | 'zh-CN' = 'en') {
  fakeKiosk({ getKioskInfo: () => ({ ...kioskInfo, language }) })
  const pinia = freshPinia()
  const kiosk = useKioskStore()
  await kiosk.load()
  kiosk.now = Date.parse('2026-03-09T04:00:00Z')
  return mount(SyncStatus, { props: { status: value }, global: { plugins: [pinia] } })
}

async function render(value: SyncStatusValue, language: 'en' | 'zh-CN' = 'en') {
  return (await mountStatus(value, language)).get('[data-testid="sync-status"]')
}

const roster = (
  state: SyncStatusValue['roster']['state'],
  lastSyncAt: string | null = null,
  failures = 0,
) => ({ roster: { state, lastSyncAt, failures } })

describe('sync status', () => {
  it.each([
    [status({ mode: 'offline-only', pending: 3 }), 'Offline only', '3'],
    [status({ mode: 'online', pending: 0 }), 'All punches uploaded', '0'],
    [status({ mode: 'online', pending: 4 }), '4 waiting to upload', '4'],
    [
      status({ mode: 'offline', pending: 12, offlineSince: '2026-03-09T02:02:00Z' }),
      '12 waiting, offline since 10:02',
      '12',
    ],
    [status({ mode: 'offline', pending: 2 }), '2 waiting, offline', '2'],
    [status({ mode: 'unauthorised', pending: 0 }), 'Device not authorised', '0'],
    [status({ mode: 'unauthorised', pending: 7 }), 'Device not authorised, 7 waiting', '7'],
  ])('says %#: "%s"', async (value, text, pending) => {
    const element = await render(value)

    expect(element.text()).toBe(text)
    expect(element.attributes('data-pending')).toBe(pending)
    expect(element.attributes('data-mode')).toBe(value.mode)
  })

  it('names the day when the kiosk went offline on an earlier day', async () => {
    const element = await render(
      status({ mode: 'offline', pending: 1, offlineSince: '2026-03-07T02:02:00Z' }),
    )

    expect(element.text()).toMatch(/^1 waiting, offline since Mar 7.*10:02$/)
  })

  it('speaks Chinese when the kiosk does', async () => {
    const element = await render(
      status({ mode: 'offline', pending: 12, offlineSince: '2026-03-09T02:02:00Z' }),
      'zh-CN',
    )

    expect(element.text()).toBe('12 条待上传，10:02 起离线')
  })
})

describe('roster status', () => {
  it('says the staff list is not loaded yet, beside "All punches uploaded"', async () => {
    const wrapper = await mountStatus(status(roster('never', null, 1)))

    expect(wrapper.get('[data-testid="sync-status"]').text()).toBe('All punches uploaded')
    const line = wrapper.get('[data-testid="roster-status"]')
    expect(line.text()).toBe('Staff list not loaded yet — waiting for the CRM')
    expect(line.attributes('data-state')).toBe('never')
  })

  it('says when the staff list is stale, with the time of the last good sync', async () => {
    const wrapper = await mountStatus(
      status({ mode: 'offline', pending: 1, ...roster('stale', '2026-03-09T02:02:00Z', 9) }),
    )

    expect(wrapper.get('[data-testid="roster-status"]').text()).toBe(
      'Staff list last updated 10:02 — waiting for the CRM',
    )
  })

  it.each([
    ['fresh', '2026-03-09T03:58:00Z'],
    ['failing', '2026-03-09T03:58:00Z'],
    ['local', null],
  ] as const)('says nothing while the list is %s', async (state, at) => {
    const mode = state === 'local' ? 'offline-only' : 'online'
    const wrapper = await mountStatus(status({ mode, ...roster(state, at, 1) }))

    expect(wrapper.find('[data-testid="roster-status"]').exists()).toBe(false)
  })

  it('speaks Chinese when the kiosk does', async () => {
    const never = await mountStatus(status(roster('never')), 'zh-CN')
    expect(never.get('[data-testid="roster-status"]').text()).toBe('员工名单尚未加载——正在等待 CRM')

    const stale = await mountStatus(status(roster('stale', '2026-03-09T02:02:00Z')), 'zh-CN')
    expect(stale.get('[data-testid="roster-status"]').text()).toBe(
      '员工名单最后更新于 10:02——正在等待 CRM',
    )
  })
})

describe('sync store', () => {
  beforeEach(() => {
    freshPinia()
  })

  it('asks once, then follows the pushes from main', async () => {
    const kiosk = fakeKiosk({ getSyncStatus: () => status({ mode: 'online', pending: 2 }) })
    const sync = useSyncStore()

    await sync.start()
    expect(sync.status).toMatchObject({ mode: 'online', pending: 2 })

    kiosk.push('syncStatusChanged', status({ mode: 'offline', pending: 3 }))
    expect(sync.pendingUploads).toBe(3)
    expect(sync.status?.mode).toBe('offline')

    sync.stop()
    kiosk.push('syncStatusChanged', status({ mode: 'online', pending: 0 }))
    expect(sync.pendingUploads).toBe(3)
  })

  it('keeps a push that arrived while its first question was still out', async () => {
    let answer: (value: SyncStatusValue) => void = () => undefined
    const kiosk = fakeKiosk({ getSyncStatus: () => new Promise((resolve) => (answer = resolve)) })
    const sync = useSyncStore()

    const started = sync.start()
    await settle()
    kiosk.push('syncStatusChanged', status({ mode: 'offline', pending: 9 }))
    answer(status({ mode: 'online', pending: 8 }))
    await started

    expect(sync.status).toMatchObject({ mode: 'offline', pending: 9 })
  })
})
