/**
 * Supervisors and admins open admin mode with their own badge and PIN, through a real kiosk's
 * gate: staff, inactive people, unknown badges and wrong PINs never open it, wrong PINs count
 * in the same lockout as the PIN punch, the shared admin PIN stays as break-glass, every step is
 * audited under a name, and each role may do only what it holds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Caller } from '../../../electron/core/gate'
import { adminPermissions } from '../../../electron/core/admin/permissions'
import { hashPin } from '../../../electron/core/roster/pin'
import { ErrorCode } from '../../../electron/shared/errors'
import { openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'
import { pinChecks } from '../../fixtures/pin-checks'

vi.mock('../../../electron/core/roster/pin', async (importOriginal) =>
  (await import('../../fixtures/pin-checks')).countingPinChecks(await importOriginal()),
)

const screen: Caller = { id: 'screen-a' }
const minute = 60_000

const rosterCsv = [
  'id,name,badge,pin,active,role',
  'E010,李娜,50010,1357,1,supervisor',
  'E011,Omar Haddad,50011,2580,1,admin',
  'E012,Sam Staff,50012,1111,1,',
  'E013,Former Boss,50013,1212,0,admin',
  'E014,No Pin,50014,,1,supervisor',
].join('\n')

let t: TestKiosk | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

async function kiosk(adminPinHash: string | null = hashPin('2468')): Promise<TestKiosk> {
  t = await openTestKiosk({ adminPinHash })
  expect(t.importCsv(rosterCsv).rejected).toEqual([])
  pinChecks.count = 0
  return t
}

async function answer(channel: string, payload: unknown, caller: Caller = screen) {
  return t!.kiosk.gate(channel, payload, caller)
}
async function code(channel: string, payload: unknown, caller: Caller = screen): Promise<string> {
  const envelope = await answer(channel, payload, caller)
  return envelope.ok ? 'ok' : envelope.error.code
}
const unlock = (badge: string, pin: string) => code('admin:unlock', { badge, pin })
const audit = () =>
  t!.kiosk.store.all<{ actor: string; action: string; subject: string | null; detail: string }>(
    `SELECT actor, action, subject, detail FROM audit WHERE action LIKE 'admin.%' ORDER BY seq`,
  )

describe('unknown badges at the admin panel', () => {
  it('count towards the same limit as at the door, so numbers cannot be tried there instead', async () => {
    await kiosk()
    for (let i = 0; i < 10; i++) expect(await unlock(`9999${i}`, '0000')).toBe('BADGE_UNKNOWN')
    // The window is used up: the panel and the door both pause every badge, known ones too.
    expect(await unlock('50010', '1357')).toBe(ErrorCode.BadgeRateLimited)
    expect(await code('attendance:badge', { badge: '50012' })).toBe(ErrorCode.BadgeRateLimited)
    expect(pinChecks.count).toBe(0)
    t!.clock.advance(minute)
    expect(await unlock('50010', '1357')).toBe('ok')
  })
})

describe('unlocking admin mode with a badge and PIN', () => {
  it('opens for a supervisor with their badge and their own PIN, and says who is in', async () => {
    await kiosk()
    const session = await answer('admin:unlock', { badge: ' 50010 ', pin: '1357' })
    expect(session).toMatchObject({
      ok: true,
      value: {
        role: 'supervisor',
        employeeId: 'E010',
        name: '李娜',
        permissions: ['view', 'confirm'],
      },
    })
    expect(audit()).toEqual([
      {
        actor: 'employee:E010',
        action: 'admin.unlock',
        subject: 'E010',
        detail: JSON.stringify({ caller: 'screen-a', role: 'supervisor' }),
      },
    ])
  })

  it('gives an admin every permission, and the shared admin PIN too, as break-glass', async () => {
    await kiosk()
    expect(await answer('admin:unlock', { badge: '50011', pin: '2580' })).toMatchObject({
      ok: true,
      value: {
        role: 'admin',
        employeeId: 'E011',
        name: 'Omar Haddad',
        permissions: [...adminPermissions],
      },
    })
    expect(await answer('admin:unlock', { pin: '2468' }, { id: 'screen-b' })).toMatchObject({
      ok: true,
      value: { role: 'admin', employeeId: null, name: null, permissions: [...adminPermissions] },
    })
    expect(audit().map((row) => [row.actor, row.action, row.subject])).toEqual([
      ['employee:E011', 'admin.unlock', 'E011'],
      ['break-glass', 'admin.unlock', null],
    ])
  })

  it('never opens for staff, inactive people, unknown or unreadable badges, or no PIN; no PIN is even checked', async () => {
    await kiosk()
    expect(await unlock('50012', '1111')).toBe(ErrorCode.PermissionDenied)
    expect(await unlock('50013', '1212')).toBe(ErrorCode.EmployeeInactive)
    expect(await unlock('99999', '1357')).toBe(ErrorCode.BadgeUnknown)
    expect(await unlock('bad badge!', '1357')).toBe(ErrorCode.BadgeUnreadable)
    expect(await unlock('50014', '1357')).toBe(ErrorCode.PinNotSet)
    expect(pinChecks.count).toBe(0)
    expect(await code('sync:dead-letters', null)).toBe(ErrorCode.AdminRequired)
    const refusals = audit().map((row) => [row.action, row.subject, JSON.parse(row.detail).reason])
    expect(refusals).toEqual([
      ['admin.refused', 'E012', 'role'],
      ['admin.refused', 'E013', 'inactive'],
      ['admin.refused', null, 'badge-unknown'],
      ['admin.refused', null, 'badge-unreadable'],
      ['admin.refused', 'E014', 'pin-not-set'],
    ])
    expect(JSON.stringify(t!.kiosk.store.all('SELECT * FROM audit'))).not.toMatch(/99999|1357/)
  })

  it("counts wrong PINs in the person's own lockout, shared with the PIN punch, not the admin PIN's", async () => {
    await kiosk()
    for (let i = 0; i < 3; i++) expect(await unlock('50010', '0000')).toBe(ErrorCode.PinWrong)
    const wrongPunch = await code('attendance:pin', { employeeId: 'E010', pin: '0000' })
    expect(wrongPunch).toBe(ErrorCode.PinWrong)
    const last = await answer('admin:unlock', { badge: '50010', pin: '0000' })
    expect(last).toMatchObject({ ok: false, error: { code: ErrorCode.PinLocked } })
    expect(await unlock('50010', '1357')).toBe(ErrorCode.PinLocked)
    expect(await code('attendance:pin', { employeeId: 'E010', pin: '1357' })).toBe(
      ErrorCode.PinLocked,
    )
    // Another supervisor and the break-glass PIN are untouched by her lockout.
    expect(await unlock('50011', '2580')).toBe('ok')
    expect(await code('admin:unlock', { pin: '2468' }, { id: 'screen-b' })).toBe('ok')
    const actions = audit().filter((row) => row.subject === 'E010')
    expect(actions.map((row) => row.action)).toEqual([
      'admin.pin-wrong',
      'admin.pin-wrong',
      'admin.pin-wrong',
      'admin.pin-wrong',
      'admin.pin-locked',
    ])
    t!.clock.advance(5 * minute)
    expect(await unlock('50010', '1357')).toBe('ok')
  })

  it('lets people in when no shared admin PIN is configured; break-glass then says so', async () => {
    await kiosk(null)
    expect(await code('admin:unlock', { pin: '2468' })).toBe(ErrorCode.AdminNotConfigured)
    expect(await unlock('50010', '1357')).toBe('ok')
  })
})

describe('permissions in admin mode', () => {
  it("allows a supervisor 'view' and 'confirm' and refuses every admin-only permission, audited", async () => {
    await kiosk()
    expect(await unlock('50010', '1357')).toBe('ok')
    const guard = t!.kiosk.admin
    for (const permission of ['view', 'confirm'] as const) {
      expect(guard.require(screen, permission)).toEqual({
        id: 'employee:E010',
        employeeId: 'E010',
        name: '李娜',
        role: 'supervisor',
      })
    }
    for (const permission of ['correct', 'faces', 'uploads', 'reconcile'] as const) {
      expect(() => guard.require(screen, permission), permission).toThrow(
        expect.objectContaining({ code: ErrorCode.PermissionDenied }),
      )
    }
    const denials = audit().filter((row) => row.action === 'admin.denied')
    expect(denials.map((row) => JSON.parse(row.detail).permission)).toEqual([
      'correct',
      'faces',
      'uploads',
      'reconcile',
    ])
    expect(denials.every((row) => row.actor === 'employee:E010')).toBe(true)
  })

  it('gives the break-glass session every permission under the actor break-glass', async () => {
    await kiosk()
    expect(await code('admin:unlock', { pin: '2468' })).toBe('ok')
    for (const permission of adminPermissions) {
      expect(t!.kiosk.admin.require(screen, permission)).toMatchObject({
        id: 'break-glass',
        role: 'admin',
        employeeId: null,
      })
    }
  })

  it('follows the roster: a demoted admin loses admin-only rights, a person made staff is let out', async () => {
    await kiosk()
    expect(await unlock('50011', '2580')).toBe('ok')
    expect(await code('faces:people', { query: '' })).toBe('ok')
    t!.importCsv('id,name,badge,role\nE011,Omar Haddad,50011,supervisor')
    expect(await code('faces:people', { query: '' })).toBe(ErrorCode.PermissionDenied)
    expect(t!.kiosk.admin.require(screen, 'view')).toMatchObject({ role: 'supervisor' })
    t!.importCsv('id,name,badge,role\nE011,Omar Haddad,50011,staff')
    expect(await code('faces:people', { query: '' })).toBe(ErrorCode.AdminRequired)
    expect(() => t!.kiosk.admin.require(screen, 'view')).toThrow(
      expect.objectContaining({ code: ErrorCode.AdminRequired }),
    )
    const revoked = audit().filter((row) => row.action === 'admin.revoked')
    expect(revoked).toMatchObject([{ actor: 'kiosk', subject: 'E011' }])
    expect(JSON.parse(revoked[0]!.detail)).toEqual({ caller: 'screen-a', reason: 'role' })
  })

  it('names the person in its lock and expiry entries', async () => {
    await kiosk()
    expect(await unlock('50010', '1357')).toBe('ok')
    expect(await code('admin:lock', null)).toBe('ok')
    expect(await unlock('50010', '1357')).toBe('ok')
    t!.clock.advance(6 * minute)
    expect(() => t!.kiosk.admin.require(screen, 'view')).toThrow(
      expect.objectContaining({ code: ErrorCode.AdminRequired }),
    )
    expect(audit().map((row) => [row.actor, row.action, row.subject])).toEqual([
      ['employee:E010', 'admin.unlock', 'E010'],
      ['employee:E010', 'admin.lock', 'E010'],
      ['employee:E010', 'admin.unlock', 'E010'],
      ['kiosk', 'admin.expired', 'E010'],
    ])
  })
})
