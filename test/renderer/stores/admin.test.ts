import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { AdminPermission, DeadLetterView } from '../../../electron/shared/types'
import { ADMIN_IDLE_MS, useAdminStore } from '../../../renderer/src/stores/admin'
import {
  adminSession,
  deadLetter,
  fakeKiosk,
  freshPinia,
  settle,
  supervisorSession,
  fakeClockEachTest,
} from '../fake-kiosk'

const SESSION_MS = 5 * 60_000
const session = () => adminSession({ expiresAt: new Date(Date.now() + SESSION_MS).toISOString() })

fakeClockEachTest(Date.parse('2026-03-09T00:57:02Z'))
beforeEach(() => {
  freshPinia()
})

describe('admin store', () => {
  it('locks itself when main’s session runs out, however busy the screen is', async () => {
    const kiosk = fakeKiosk({ unlockAdmin: session })
    const admin = useAdminStore()
    await admin.unlock('2468')
    expect(admin.expiresAt).toBe('2026-03-09T01:02:02.000Z')

    for (let minute = 0; minute < 4; minute += 1) {
      vi.advanceTimersByTime(60_000)
      admin.stillHere()
    }
    expect(admin.unlocked).toBe(true)

    vi.advanceTimersByTime(60_000)
    await settle()

    expect(admin.unlocked).toBe(false)
    expect(kiosk.callsTo('lockAdmin')).toHaveLength(1)
  })

  it('follows main in extending the session on every admin call', async () => {
    fakeKiosk({ unlockAdmin: session })
    const admin = useAdminStore()
    await admin.unlock('2468')

    const touchEveryMinute = (minutes: number) => {
      for (let minute = 0; minute < minutes; minute += 1) {
        vi.advanceTimersByTime(60_000)
        admin.stillHere()
      }
    }
    touchEveryMinute(4)
    await admin.refreshDeadLetters()
    touchEveryMinute(4)

    expect(admin.unlocked).toBe(true)
    expect(admin.expiresAt).toBe(new Date(Date.now() + 60_000).toISOString())
    vi.advanceTimersByTime(60_000)
    await settle()
    expect(admin.unlocked).toBe(false)
  })

  it('locks itself at main’s absolute end, however busy the admin is', async () => {
    const end = Date.now() + 12 * 60_000
    const kiosk = fakeKiosk({
      unlockAdmin: () => ({ ...session(), endsAt: new Date(end).toISOString() }),
      listDeadLetters: () => [],
    })
    const admin = useAdminStore()
    await admin.unlock('2468')
    for (let minute = 1; minute < 12; minute += 1) {
      vi.advanceTimersByTime(60_000)
      admin.stillHere()
      await admin.refreshDeadLetters()
    }
    expect(admin.unlocked).toBe(true)
    expect(admin.expiresAt).toBe(new Date(end).toISOString())
    vi.advanceTimersByTime(60_000)
    await settle()
    expect(admin.unlocked).toBe(false)
    expect(kiosk.callsTo('lockAdmin')).toHaveLength(1)
  })

  it('locks itself after a few minutes without a touch', async () => {
    fakeKiosk({ unlockAdmin: session })
    const admin = useAdminStore()
    await admin.unlock('2468')

    vi.advanceTimersByTime(ADMIN_IDLE_MS - 1)
    expect(admin.unlocked).toBe(true)
    vi.advanceTimersByTime(1)
    await settle()

    expect(admin.unlocked).toBe(false)
  })

  it('trims the discard reason and refuses one too short without asking main', async () => {
    const kiosk = fakeKiosk({ unlockAdmin: session, discardDeadLetter: () => null })
    const admin = useAdminStore()
    await admin.unlock('2468')
    const { punchId } = deadLetter()

    expect(await admin.discard(punchId, ' no ')).toBe(false)
    expect(await admin.discard(punchId, ' test punch ')).toBe(true)

    expect(kiosk.callsTo('discardDeadLetter')).toEqual([{ punchId, reason: 'test punch' }])
  })

  it('drops a list that arrives after admin mode was locked', async () => {
    let answer: (letters: DeadLetterView[]) => void = () => undefined
    fakeKiosk({
      unlockAdmin: session,
      listDeadLetters: () => new Promise((resolve) => (answer = resolve)),
    })
    const admin = useAdminStore()
    await admin.unlock('2468')

    const listing = admin.refreshDeadLetters()
    await settle()
    await admin.lock()
    answer([deadLetter()])
    await listing

    expect(admin.unlocked).toBe(false)
    expect(admin.deadLetters).toEqual([])
  })
  it('sends the badge with the PIN, keeps who is in and what they may do, and forgets both on lock', async () => {
    const kiosk = fakeKiosk({ unlockAdmin: () => supervisorSession() })
    const admin = useAdminStore()
    expect(admin.may('view')).toBe(false)

    expect(await admin.unlock('1357', '00412345')).toBe(true)

    expect(kiosk.callsTo('unlockAdmin')).toEqual([{ pin: '1357', badge: '00412345' }])
    expect(admin.signedIn).toEqual({ role: 'supervisor', employeeId: 'E2001', name: '李娜' })
    const asked: AdminPermission[] = ['view', 'confirm', 'faces', 'uploads']
    expect(asked.map((permission) => admin.may(permission))).toEqual([true, true, false, false])
    await admin.lock()
    expect(admin.signedIn).toBeNull()
    expect(admin.may('view')).toBe(false)
  })
})
