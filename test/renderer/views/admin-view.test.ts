import { enableAutoUnmount, mount, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import type { DeadLetterView, KioskInfo, SyncStatus } from '../../../electron/shared/types'
import App from '../../../renderer/src/App.vue'
import {
  adminSession,
  deadLetter,
  fakeKiosk,
  freshPinia,
  kioskInfo,
  punchView,
  recorded,
  refuse,
  settle,
  supervisorSession,
  fakeClockEachTest,
  type FakeHandlers,
} from '../fake-kiosk'

enableAutoUnmount(afterEach)

fakeClockEachTest(Date.parse('2026-03-09T00:57:02Z'))

const IDS = [
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '33333333-3333-4333-8333-333333333333',
  '44444444-4444-4444-8444-444444444444',
] as const

function syncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    mode: 'online',
    pending: 0,
    oldestPendingAt: null,
    lastSyncAt: null,
    offlineSince: null,
    roster: { state: 'fresh', lastSyncAt: '2026-03-09T00:00:00Z', failures: 0 },
    reconciliation: null,
    ...overrides,
  }
}

/** Mounts the app, unlocks admin mode with PIN 2468 and lets the admin view load. */
async function openAdmin(handlers: Partial<FakeHandlers>) {
  const kiosk = fakeKiosk({
    unlockAdmin: () => adminSession(),
    ...handlers,
  })
  const wrapper = mount(App, { global: { plugins: [freshPinia()] }, attachTo: document.body })
  await settle()
  await wrapper.get('[data-testid="admin-open"]').trigger('click')
  for (const digit of '2468') {
    await wrapper.get(`[data-testid="pin-key-${digit}"]`).trigger('click')
  }
  await wrapper.get('[data-testid="pin-submit"]').trigger('click')
  await settle()
  const uploads = wrapper.find('[data-testid="admin-tab-uploads"]')
  if (uploads.exists()) await uploads.trigger('click')
  await settle()
  return { kiosk, wrapper }
}

const row = (wrapper: VueWrapper, punchId: string) =>
  wrapper.get(`[data-testid="dead-letter"][data-punch-id="${punchId}"]`)

const onKiosk = (wrapper: VueWrapper) =>
  wrapper.find('[data-testid="kiosk"]').exists() &&
  !wrapper.find('[data-testid="admin-view"]').exists()

describe('admin view: uploads', () => {
  it('shows the upload state and how many punches wait', async () => {
    const { wrapper } = await openAdmin({
      getSyncStatus: () =>
        syncStatus({ mode: 'offline', pending: 12, offlineSince: '2026-03-09T00:02:00Z' }),
    })

    expect(wrapper.get('[data-testid="admin-lock"]').text()).toBe('Lock')
    expect(wrapper.get('[data-testid="admin-tab-uploads"]').text()).toBe('Uploads')
    expect(wrapper.get('[data-testid="sync-status"]').text()).toBe(
      '12 waiting, offline since 08:02',
    )
    expect(wrapper.get('[data-testid="pending-count"]').text()).toBe('Waiting to upload: 12')
  })

  it('shows the last reconciliation and compares the last 7 days on request', async () => {
    const { kiosk, wrapper } = await openAdmin({
      getSyncStatus: () =>
        syncStatus({
          reconciliation: {
            ranAt: '2026-03-09T00:30:00Z',
            from: '2026-03-01T00:00:00+08:00',
            to: '2026-03-09T00:00:00+08:00',
            localCount: 120,
            remoteCount: 119,
            requeued: 2,
            unknownIds: 1,
          },
        }),
      reconcile: () => ({
        ranAt: '2026-03-09T00:57:02Z',
        from: '2026-03-03T00:00:00+08:00',
        to: '2026-03-10T00:00:00+08:00',
        localCount: 10,
        remoteCount: 10,
        requeued: 0,
        unknownIds: 0,
        unknownIdList: [],
      }),
    })
    expect(wrapper.get('[data-testid="last-reconciliation"]').text()).toBe(
      'Compared with the CRM 08:30: 2 sent again, 1 there that this kiosk never made',
    )
    await wrapper.get('[data-testid="reconcile-week"]').trigger('click')
    await settle()
    // Site days in Shanghai: 9 March is today there.
    expect(kiosk.callsTo('reconcile')).toEqual([{ from: '2026-03-03', to: '2026-03-09' }])
  })

  it('says so when the CRM refused nothing', async () => {
    const { kiosk, wrapper } = await openAdmin({ listDeadLetters: () => [] })

    expect(kiosk.callsTo('listDeadLetters')).toHaveLength(1)
    expect(wrapper.findAll('[data-testid="dead-letter"]')).toHaveLength(0)
    expect(wrapper.get('[data-testid="no-dead-letters"]').text()).toBe('No refused punches')
  })

  it('lists each refused punch with who, when and why in plain words', async () => {
    const letters: DeadLetterView[] = [
      deadLetter({ punchId: IDS[0], reason: 'unknown_employee' }),
      deadLetter({
        punchId: IDS[1],
        employeeId: 'E2002',
        employeeName: 'Bo Chen',
        type: 'out',
        occurredAt: '2026-03-08T17:31:00+08:00',
        reason: 'inactive_employee',
      }),
      deadLetter({ punchId: IDS[2], reason: 'bad_request: occurredAt is not a date' }),
      deadLetter({ punchId: IDS[3], reason: 'badge_revoked' }),
    ]
    const { wrapper } = await openAdmin({ listDeadLetters: () => letters })

    expect(wrapper.findAll('[data-testid="dead-letter"]')).toHaveLength(4)
    expect(wrapper.find('[data-testid="no-dead-letters"]').exists()).toBe(false)

    const anna = row(wrapper, IDS[0])
    expect(anna.text()).toContain('Anna Li')
    expect(anna.text()).toContain('E1001')
    expect(anna.get('[data-testid="dead-letter-type"]').text()).toBe('Check-in')
    expect(anna.get('[data-testid="dead-letter-when"]').text()).toBe('08:57 · Mar 8, 2026')
    expect(anna.get('[data-testid="dead-letter-reason"]').text()).toBe(
      'The CRM does not know this employee.',
    )

    const bo = row(wrapper, IDS[1])
    expect(bo.text()).toContain('Bo Chen')
    expect(bo.text()).toContain('E2002')
    expect(bo.get('[data-testid="dead-letter-type"]').text()).toBe('Check-out')
    expect(bo.get('[data-testid="dead-letter-when"]').text()).toBe('17:31 · Mar 8, 2026')
    expect(bo.get('[data-testid="dead-letter-reason"]').text()).toBe(
      'The CRM lists this employee as inactive.',
    )

    expect(row(wrapper, IDS[2]).get('[data-testid="dead-letter-reason"]').text()).toBe(
      'The CRM could not read this punch: occurredAt is not a date',
    )
    expect(row(wrapper, IDS[3]).get('[data-testid="dead-letter-reason"]').text()).toBe(
      'badge_revoked',
    )
  })

  it('speaks Chinese when the kiosk does', async () => {
    const { wrapper } = await openAdmin({
      getKioskInfo: (): KioskInfo => ({ ...kioskInfo, language: 'zh-CN' }),
      listDeadLetters: () => [deadLetter({ punchId: IDS[0], type: 'out', reason: 'invalid_time' })],
    })

    expect(wrapper.get('[data-testid="admin-view"]').text()).toContain('管理模式')
    const letter = row(wrapper, IDS[0])
    expect(letter.get('[data-testid="dead-letter-type"]').text()).toBe('签退')
    expect(letter.get('[data-testid="dead-letter-when"]').text()).toBe('08:57 · 2026年3月8日')
    expect(letter.get('[data-testid="dead-letter-reason"]').text()).toBe('CRM 不接受此打卡时间。')
  })

  it('puts a refused punch back in the queue on Retry and shows what is left', async () => {
    let letters = [deadLetter({ punchId: IDS[0] }), deadLetter({ punchId: IDS[1] })]
    const { kiosk, wrapper } = await openAdmin({
      listDeadLetters: () => letters,
      retryDeadLetter: ({ punchId }) => {
        letters = letters.filter((letter) => letter.punchId !== punchId)
        return null
      },
    })

    await row(wrapper, IDS[0]).get('[data-testid="dead-letter-retry"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('retryDeadLetter')).toEqual([{ punchId: IDS[0] }])
    expect(kiosk.callsTo('discardDeadLetter')).toEqual([])
    const left = wrapper.findAll('[data-testid="dead-letter"]')
    expect(left.map((item) => item.attributes('data-punch-id'))).toEqual([IDS[1]])
  })

  it('discards a refused punch only with a reason, which goes to main for the audit', async () => {
    let letters = [deadLetter({ punchId: IDS[0] })]
    const { kiosk, wrapper } = await openAdmin({
      listDeadLetters: () => letters,
      discardDeadLetter: () => {
        letters = []
        return null
      },
    })

    await row(wrapper, IDS[0]).get('[data-testid="dead-letter-discard"]').trigger('click')
    const confirm = () => wrapper.get('[data-testid="discard-confirm"]')
    expect(confirm().attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="discard-reason"]').setValue('  ab  ')
    expect(confirm().attributes('disabled')).toBeDefined()
    await confirm().trigger('click')
    await settle()
    expect(kiosk.callsTo('discardDeadLetter')).toEqual([])

    await wrapper.get('[data-testid="discard-reason"]').setValue(' Entered by hand in the CRM ')
    expect(confirm().attributes('disabled')).toBeUndefined()
    await confirm().trigger('click')
    await settle()

    expect(kiosk.callsTo('discardDeadLetter')).toEqual([
      { punchId: IDS[0], reason: 'Entered by hand in the CRM' },
    ])
    expect(kiosk.callsTo('retryDeadLetter')).toEqual([])
    expect(wrapper.get('[data-testid="no-dead-letters"]').text()).toBe('No refused punches')
  })

  it('fills the discard reason from a quick choice, and keeps the punch on "keep it"', async () => {
    const { kiosk, wrapper } = await openAdmin({
      listDeadLetters: () => [deadLetter({ punchId: IDS[0] })],
    })
    await row(wrapper, IDS[0]).get('[data-testid="dead-letter-discard"]').trigger('click')

    await wrapper.findAll('[data-testid="discard-quick-reason"]')[1]!.trigger('click')
    const field = wrapper.get<HTMLTextAreaElement>('[data-testid="discard-reason"]')
    expect(field.element.value).toBe('Test punch')

    await wrapper.get('[data-testid="discard-cancel"]').trigger('click')
    expect(wrapper.find('[data-testid="discard-reason"]').exists()).toBe(false)
    expect(kiosk.callsTo('discardDeadLetter')).toEqual([])
    expect(row(wrapper, IDS[0]).find('[data-testid="dead-letter-retry"]').exists()).toBe(true)
  })

  it('says so when the punch was no longer waiting, and shows the list as main has it', async () => {
    const { wrapper } = await openAdmin({
      listDeadLetters: () => [deadLetter({ punchId: IDS[0] })],
      retryDeadLetter: () => refuse(ErrorCode.PunchUnknown),
    })

    await row(wrapper, IDS[0]).get('[data-testid="dead-letter-retry"]').trigger('click')
    await settle()

    expect(wrapper.get('[data-testid="admin-problem"]').text()).toContain('no longer waiting')
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(true)
  })

  it('looks again when the upload state changes', async () => {
    let letters: DeadLetterView[] = []
    const { kiosk, wrapper } = await openAdmin({ listDeadLetters: () => letters })

    letters = [deadLetter({ punchId: IDS[0] })]
    kiosk.push('syncStatusChanged', syncStatus({ pending: 3 }))
    await settle()

    expect(wrapper.findAll('[data-testid="dead-letter"]')).toHaveLength(1)
    expect(wrapper.get('[data-testid="pending-count"]').text()).toBe('Waiting to upload: 3')
  })
})

describe('admin view: who is signed in and what they may use', () => {
  it('shows a supervisor who is signed in and hides the tabs their role may not use', async () => {
    const { kiosk, wrapper } = await openAdmin({ unlockAdmin: () => supervisorSession() })

    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe(
      'Signed in: 李娜 (supervisor)',
    )
    expect(wrapper.find('[data-testid="admin-tab-uploads"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="admin-tab-faces"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="admin-tab-today"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="dead-letter"]').exists()).toBe(false)
    expect(kiosk.callsTo('listDeadLetters')).toEqual([])
    expect(wrapper.get('[data-testid="admin-lock"]').text()).toBe('Lock')
  })

  it('shows an admin by name with every tab, and break-glass as the admin PIN', async () => {
    const sessions = [adminSession({ employeeId: 'E3001', name: 'Omar Haddad' }), adminSession()]
    const { wrapper } = await openAdmin({ unlockAdmin: () => sessions.shift()! })
    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe(
      'Signed in: Omar Haddad (admin)',
    )
    const tabs = wrapper.findAll('[role="tab"]').map((tab) => tab.attributes('data-testid'))
    expect(tabs).toEqual([
      'admin-tab-today',
      'admin-tab-reports',
      'admin-tab-audit',
      'admin-tab-uploads',
      'admin-tab-faces',
    ])
    await wrapper.get('[data-testid="admin-lock"]').trigger('click')
    await settle()

    await wrapper.get('[data-testid="admin-open"]').trigger('click')
    for (const digit of '2468') {
      await wrapper.get(`[data-testid="pin-key-${digit}"]`).trigger('click')
    }
    await wrapper.get('[data-testid="pin-submit"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe(
      'Signed in with the admin PIN',
    )
  })

  it('says who is signed in in Chinese', async () => {
    const { wrapper } = await openAdmin({
      getKioskInfo: (): KioskInfo => ({ ...kioskInfo, language: 'zh-CN' }),
      unlockAdmin: () => adminSession(),
    })
    expect(wrapper.get('[data-testid="admin-signed-in"]').text()).toBe('已使用管理员 PIN 码登录')
  })

  it('offers only the tabs a role holds: faces but not uploads', async () => {
    const { wrapper } = await openAdmin({
      unlockAdmin: () => supervisorSession({ permissions: ['faces'] }),
    })
    const tabs = wrapper.findAll('[role="tab"]')
    expect(tabs.map((tab) => tab.attributes('data-testid'))).toEqual(['admin-tab-faces'])
    expect(tabs[0]!.attributes('aria-selected')).toBe('true')
    expect(wrapper.find('[data-testid="pending-count"]').exists()).toBe(false)
  })
})

describe('admin view: leaving admin mode', () => {
  it('locks on the Lock button and returns to the kiosk', async () => {
    const { kiosk, wrapper } = await openAdmin({})

    await wrapper.get('[data-testid="admin-lock"]').trigger('click')
    await settle()

    expect(kiosk.callsTo('lockAdmin')).toHaveLength(1)
    expect(onKiosk(wrapper)).toBe(true)
  })

  it('returns to the kiosk when main says admin mode has locked itself', async () => {
    let expired = false
    const { wrapper } = await openAdmin({
      listDeadLetters: () => (expired ? refuse(ErrorCode.AdminRequired) : [deadLetter()]),
      retryDeadLetter: () => refuse(ErrorCode.AdminRequired),
    })

    expired = true
    await wrapper.get('[data-testid="dead-letter-retry"]').trigger('click')
    await settle()

    expect(onKiosk(wrapper)).toBe(true)
    expect(wrapper.find('[data-testid="admin-unlock"]').exists()).toBe(false)
  })

  it('returns to the kiosk when even the first list needs admin mode again', async () => {
    const { kiosk, wrapper } = await openAdmin({
      listDeadLetters: () => refuse(ErrorCode.AdminRequired),
    })

    expect(kiosk.callsTo('unlockAdmin')).toHaveLength(1)
    expect(kiosk.callsTo('listDeadLetters')).toHaveLength(1)
    expect(onKiosk(wrapper)).toBe(true)
  })

  it('locks itself when nobody touches the screen for a few minutes', async () => {
    const { kiosk, wrapper } = await openAdmin({})

    vi.advanceTimersByTime(2 * 60_000)
    window.dispatchEvent(new Event('pointerdown'))
    vi.advanceTimersByTime(2 * 60_000)
    await settle()
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(true)

    vi.advanceTimersByTime(60_000)
    await settle()

    expect(onKiosk(wrapper)).toBe(true)
    expect(kiosk.callsTo('lockAdmin')).toHaveLength(1)
  })

  it('does not punch for a badge scanned in admin mode, nor let its Enter press a button', async () => {
    const { kiosk, wrapper } = await openAdmin({
      listDeadLetters: () => [deadLetter({ punchId: IDS[0] })],
      recordBadgePunch: () => recorded(punchView()),
    })
    const retry = row(wrapper, IDS[0]).get('[data-testid="dead-letter-retry"]').element

    const presses = [...'00412345', 'Enter'].map(
      (key) => new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }),
    )
    for (const press of presses) retry.dispatchEvent(press)
    await settle()

    expect(presses.at(-1)!.defaultPrevented).toBe(true)
    expect(kiosk.callsTo('recordBadgePunch')).toEqual([])
    expect(kiosk.callsTo('retryDeadLetter')).toEqual([])
    expect(wrapper.find('[data-testid="admin-view"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="greeting"]').exists()).toBe(false)
  })
})
