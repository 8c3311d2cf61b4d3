import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import type { PunchOutcome } from '../../../electron/shared/types'
import {
  call as callOp,
  openTestKiosk,
  sampleRosterCsv,
  type TestKiosk,
} from '../../fixtures/kiosk'

let t: TestKiosk
const minute = 60_000

async function call(channel: string, payload?: unknown) {
  return t.kiosk.gate(channel, payload)
}

// Face-and-badge mode is off here: a badge always punches.
const badge = async (b: string) =>
  (await callOp(t.kiosk, 'recordBadgePunch', { badge: b })) as PunchOutcome

beforeEach(async () => {
  // 2026-03-02 08:50 in Shanghai, a Monday.
  t = await openTestKiosk({}, Date.parse('2026-03-02T00:50:00Z'))
  t.importCsv(sampleRosterCsv)
})
afterEach(() => t.cleanup())

describe('punching', () => {
  it('checks in, ignores a repeat scan, and checks out after the window', async () => {
    const first = await badge('10001')
    expect(first).toMatchObject({
      status: 'recorded',
      punch: {
        employeeId: 'E001',
        employeeName: '张伟',
        type: 'in',
        localTime: '08:50',
        late: false,
      },
    })
    expect(first.punch.occurredAt).toBe('2026-03-02T08:50:00+08:00')
    t.clock.advance(30_000)
    const repeat = await badge('10001-b')
    expect(repeat).toEqual({ status: 'already', punch: first.punch })
    t.clock.advance(2 * minute)
    expect((await badge('10001')).punch.type).toBe('out')
    const count = t.kiosk.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM punches')!.n
    expect(count).toBe(2)
  })

  it('flags late arrival and early leave against the schedule with 15 minutes grace', async () => {
    t.clock.now = Date.parse('2026-03-02T01:16:00Z') // 09:16 local
    expect((await badge('10001')).punch.late).toBe(true)
    t.clock.now = Date.parse('2026-03-02T09:30:00Z') // 17:30 local
    const out = await badge('10001')
    expect(out.punch).toMatchObject({ type: 'out', early: true, late: false })
  })

  it('starts a new working day with an in, in the site zone', async () => {
    t.clock.now = Date.parse('2026-03-02T15:00:00Z') // 23:00 local
    expect((await badge('10002')).punch.type).toBe('in')
    t.clock.now = Date.parse('2026-03-02T16:30:00Z') // 00:30 next day local
    const next = await badge('10002')
    expect(next.punch).toMatchObject({ type: 'in', localDate: '2026-03-03' })
  })

  it('switches direction within the window by correcting the punch, not adding one', async () => {
    const first = await badge('10002')
    t.clock.advance(4000)
    const switched = await call('attendance:switch', { punchId: first.punch.id })
    expect(switched).toMatchObject({
      ok: true,
      value: { punch: { id: first.punch.id, type: 'out', corrected: true } },
    })
    const audit = t.kiosk.store.all<{ action: string }>(
      `SELECT action FROM audit WHERE action = 'punch.switch'`,
    )
    expect(audit).toHaveLength(1)
    t.clock.advance(10 * minute)
    expect((await badge('10002')).punch.type).toBe('in')
    const expired = await call('attendance:switch', { punchId: first.punch.id })
    expect(expired).toMatchObject({ ok: false, error: { code: ErrorCode.SwitchExpired } })
  })

  it('records nothing for unknown, garbled or inactive badges, with distinct codes', async () => {
    expect(await call('attendance:badge', { badge: '99999' })).toMatchObject({
      ok: false,
      error: { code: 'BADGE_UNKNOWN' },
    })
    expect(await call('attendance:badge', { badge: '12\u0007$%' })).toMatchObject({
      ok: false,
      error: { code: 'BADGE_UNREADABLE' },
    })
    expect(await call('attendance:badge', { badge: '1'.repeat(200) })).toMatchObject({
      ok: false,
      error: { code: 'BADGE_UNREADABLE' },
    })
    expect(await call('attendance:badge', { badge: '10003' })).toMatchObject({
      ok: false,
      error: { code: 'EMPLOYEE_INACTIVE' },
    })
    expect(await call('attendance:badge', { badge: 42 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    })
    expect(await call('attendance:badge', { badge: '10001', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    })
    expect(await call('punch:nope', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION' },
    })
    expect(t.kiosk.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM punches')!.n).toBe(0)
  })

  it('punches by PIN and locks a person out after five wrong PINs', async () => {
    const ok = await call('attendance:pin', { employeeId: 'E001', pin: '1234' })
    expect(ok).toMatchObject({ ok: true, value: { status: 'recorded', punch: { method: 'pin' } } })
    for (let left = 4; left >= 1; left--) {
      expect(await call('attendance:pin', { employeeId: 'E001', pin: '0000' })).toMatchObject({
        ok: false,
        error: { code: 'PIN_WRONG', details: { attemptsLeft: left } },
      })
    }
    const locked = await call('attendance:pin', { employeeId: 'E001', pin: '0000' })
    expect(locked).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } })
    t.clock.advance(5 * minute - 1)
    expect(await call('attendance:pin', { employeeId: 'E001', pin: '1234' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_LOCKED' },
    })
    t.clock.advance(1)
    expect(await call('attendance:pin', { employeeId: 'E001', pin: '1234' })).toMatchObject({
      ok: true,
    })
    expect(await call('attendance:pin', { employeeId: 'E002', pin: '1234' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_NOT_SET' },
    })
    expect(await call('attendance:pin', { employeeId: 'E404', pin: '1234' })).toMatchObject({
      ok: false,
      error: { code: 'EMPLOYEE_UNKNOWN' },
    })
  })

  it('keeps every punch, in the outbox too, across a restart', async () => {
    const a = await badge('10001')
    const b = await badge('10002')
    await t.reopen()
    const ids = t.kiosk.store
      .all<{ id: string }>('SELECT id FROM punches ORDER BY id')
      .map((r) => r.id)
    expect(ids).toEqual([a.punch.id, b.punch.id].sort())
    const status = await call('sync:status')
    expect(status).toMatchObject({ ok: true, value: { mode: 'offline-only', pending: 2 } })
  })

  it('pushes the sync status after a punch', async () => {
    const pushes: unknown[] = []
    t.kiosk.subscribe((channel, payload) => pushes.push([channel, payload]))
    await badge('10001')
    expect(pushes).toEqual([['sync:status-changed', expect.objectContaining({ pending: 1 })]])
  })
})
