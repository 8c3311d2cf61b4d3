/**
 * The admin's day on a real kiosk core (real sql.js, through the gate): forgotten check-outs,
 * corrections that supersede corrections, automatic check-out, and the figures that follow.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { hashPin } from '../../../electron/core/roster/pin'
import { zonedToInstant } from '../../../electron/core/attendance/zoned-time'
import type { PunchOutcome } from '../../../electron/shared/types'
import { call, openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'

const zone = 'Asia/Shanghai'
const roster = [
  'id,name,badge,pin,active,schedule_start,schedule_end,schedule_days',
  'E001,张伟,10001,1234,1,09:00,18:00,1-5',
  'E002,Alice Martin,10002,,1,09:00,18:00,1-5',
].join('\n')

let t: TestKiosk
afterEach(() => t?.cleanup())

async function kioskAt(date: string, time: string, overrides = {}) {
  t = await openTestKiosk(
    { adminPinHash: hashPin('2468'), timeZone: zone, ...overrides },
    zonedToInstant(date, time, zone),
  )
  t.importCsv(roster)
  return t
}
const moveTo = (date: string, time: string) => {
  t.clock.now = zonedToInstant(date, time, zone)
}
const badge = async (b: string) =>
  (await call(t.kiosk, 'recordBadgePunch', { badge: b })) as PunchOutcome & { status: 'recorded' }
const unlock = () => call(t.kiosk, 'unlockAdmin', { pin: '2468' })
const code = async (channel: string, payload: unknown) => {
  const answer = await t.kiosk.gate(channel, payload)
  return answer.ok ? 'ok' : answer.error.code
}
const dayOf = async (employeeId: string, date: string) => {
  const report = await call(t.kiosk, 'getAttendanceReport', { from: date, to: date })
  return report.days.find((d) => d.employeeId === employeeId)!
}

describe('a forgotten check-out', () => {
  it('is asked about at the next punch, across a weekend, and becomes a pending correction', async () => {
    await kioskAt('2026-03-06', '08:55') // Friday
    await badge('10001')
    moveTo('2026-03-09', '08:50') // Monday
    const monday = await badge('10001')
    // A new arrival, not a check-out of Friday; and Friday's open in is named.
    expect(monday.punch.type).toBe('in')
    expect(monday.forgotten).toMatchObject({
      date: '2026-03-06',
      weekday: 5,
      checkedInAt: '08:55',
      scheduleEnd: '18:00',
    })
    const request = await call(t.kiosk, 'answerForgottenCheckout', {
      punchId: monday.punch.id,
      answer: 'schedule_end',
      time: null,
    })
    expect(request).toMatchObject({ state: 'pending', proposedAt: '2026-03-06T18:00:00+08:00' })
    // Nothing changed silently: Friday is still open until someone confirms.
    await unlock()
    expect(await dayOf('E001', '2026-03-06')).toMatchObject({
      status: 'incomplete',
      missingCheckout: true,
    })
    const board = await call(t.kiosk, 'getDayBoard', { date: null })
    expect(board.pendingCorrections.map((r) => r.id)).toEqual([request.id])
    // Friday's in stays an open check-out, though the person has punched since, until decided.
    expect(board.openCheckouts).toMatchObject([{ employeeId: 'E001', date: '2026-03-06' }])
    // Asked once: the same open day is not asked about again.
    moveTo('2026-03-09', '18:05')
    const out = await badge('10001')
    expect(out.punch.type).toBe('out')
    expect(out.forgotten).toBeUndefined()

    await unlock()
    const confirmed = await call(t.kiosk, 'decideCorrectionRequest', {
      requestId: request.id,
      decision: 'confirm',
      time: null,
      reason: null,
    })
    expect(confirmed.state).toBe('confirmed')
    expect((await call(t.kiosk, 'getDayBoard', { date: null })).openCheckouts).toEqual([])
    expect(await dayOf('E001', '2026-03-06')).toMatchObject({
      status: 'present',
      lastOut: '18:00',
      workedMinutes: 545,
      missingCheckout: false,
      corrections: 1,
    })
    expect(
      await code('attendance:request-decide', {
        requestId: request.id,
        decision: 'reject',
        time: null,
        reason: null,
      }),
    ).toBe('REQUEST_DECIDED')
    const added = t.kiosk.store.get<{
      method: string
      correction_kind: string
      entered_by: string
    }>(`SELECT method, correction_kind, entered_by FROM punches WHERE correction_kind IS NOT NULL`)
    expect(added).toMatchObject({ method: 'manual', correction_kind: 'added' })
    // It uploads like any other punch.
    const queued = t.kiosk.store.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM outbox o JOIN punches p ON p.id = o.punch_id WHERE p.correction_kind = 'added'`,
    )
    expect(queued?.n).toBe(1)
  })

  it('needs a time from the admin when the person did not know, and refuses impossible ones', async () => {
    await kioskAt('2026-03-02', '08:55')
    await badge('10002')
    moveTo('2026-03-03', '09:00')
    const next = await badge('10002')
    expect(
      await code('attendance:forgotten-answer', {
        punchId: next.punch.id,
        answer: 'time',
        time: '08:00',
      }),
    ).toBe('CORRECTION_INVALID')
    const request = await call(t.kiosk, 'answerForgottenCheckout', {
      punchId: next.punch.id,
      answer: 'unknown',
      time: null,
    })
    expect(
      await code('attendance:forgotten-answer', {
        punchId: next.punch.id,
        answer: 'unknown',
        time: null,
      }),
    ).toBe('REQUEST_DECIDED')
    await unlock()
    const decide = (time: string | null) =>
      code('attendance:request-decide', {
        requestId: request.id,
        decision: 'confirm',
        time,
        reason: 'asked her',
      })
    expect(await decide(null)).toBe('CORRECTION_INVALID')
    expect(await decide('23:30')).toBe('ok')
    expect(await dayOf('E002', '2026-03-02')).toMatchObject({
      lastOut: '23:30',
      workedMinutes: 875,
    })
  })

  it('is not answerable long after the punch, nor without admin mode for the admin side', async () => {
    await kioskAt('2026-03-02', '08:55')
    await badge('10002')
    moveTo('2026-03-03', '09:00')
    const next = await badge('10002')
    t.clock.advance(6 * 60_000)
    expect(
      await code('attendance:forgotten-answer', {
        punchId: next.punch.id,
        answer: 'unknown',
        time: null,
      }),
    ).toBe('ANSWER_EXPIRED')
    for (const [channel, payload] of [
      ['attendance:board', { date: null }],
      ['attendance:requests', { state: 'all' }],
      ['attendance:report', { from: '2026-03-01', to: '2026-03-03' }],
      ['attendance:correct', { kind: 'voided', punchId: next.punch.id, reason: 'wrong' }],
      ['audit:list', { person: null, kind: null, from: null, to: null, before: null, limit: 10 }],
    ] as const) {
      expect(await code(channel, payload), channel).toBe('ADMIN_REQUIRED')
    }
  })
})

describe('corrections', () => {
  it('supersede, never edit: amend an amendment, void it, and only the latest version counts', async () => {
    await kioskAt('2026-03-02', '09:40')
    const late = await badge('10001')
    moveTo('2026-03-02', '18:00')
    await badge('10001')
    moveTo('2026-03-03', '10:00')
    await unlock()
    const first = await call(t.kiosk, 'correctPunch', {
      kind: 'amended',
      punchId: late.punch.id,
      type: 'in',
      at: '2026-03-02T09:20:00+08:00',
      reason: 'reader was down',
    })
    expect(first.correction).toMatchObject({ kind: 'amended', supersedes: late.punch.id })
    expect(await dayOf('E001', '2026-03-02')).toMatchObject({ firstIn: '09:20', lateMinutes: 20 })
    // The original may no longer be corrected; its latest version may.
    expect(
      await code('attendance:correct', {
        kind: 'amended',
        punchId: late.punch.id,
        type: 'in',
        at: '2026-03-02T09:05:00+08:00',
        reason: 'again',
      }),
    ).toBe('PUNCH_SUPERSEDED')
    const second = await call(t.kiosk, 'correctPunch', {
      kind: 'amended',
      punchId: first.id,
      type: 'in',
      at: '2026-03-02T09:05:00+08:00',
      reason: 'badge log says 09:05',
    })
    expect(await dayOf('E001', '2026-03-02')).toMatchObject({
      firstIn: '09:05',
      lateMinutes: 0,
      corrections: 2,
    })
    await call(t.kiosk, 'correctPunch', {
      kind: 'voided',
      punchId: second.id,
      reason: 'was not here at all',
    })
    expect(await dayOf('E001', '2026-03-02')).toMatchObject({ firstIn: null, corrections: 3 })
    // Every original is still there, unchanged, and each correction is audited under its actor.
    const history = await call(t.kiosk, 'listPersonPunches', {
      employeeId: 'E001',
      from: '2026-03-02',
      to: '2026-03-02',
    })
    expect(
      history.map((p) => [p.correction?.kind ?? 'original', p.localTime, p.effective]),
    ).toEqual([
      ['amended', '09:05', false],
      ['voided', '09:05', false],
      ['amended', '09:20', false],
      ['original', '09:40', false],
      ['original', '18:00', true],
    ])
    expect(history.find((p) => p.id === late.punch.id)).toMatchObject({
      localTime: '09:40',
      supersededBy: first.id,
    })
    const audited = t.kiosk.store.all<{ action: string }>(
      `SELECT action FROM audit WHERE action LIKE 'punch.%' ORDER BY seq`,
    )
    expect(audited.map((a) => a.action)).toEqual(['punch.amended', 'punch.amended', 'punch.voided'])
    const originals = t.kiosk.store.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM punches WHERE correction_kind IS NULL`,
    )
    expect(originals?.n).toBe(2)
  })

  it('adds a missing punch with a reason and refuses one in the future', async () => {
    await kioskAt('2026-03-02', '09:00')
    await badge('10002')
    moveTo('2026-03-02', '20:00')
    await unlock()
    expect(
      await code('attendance:correct', {
        kind: 'added',
        employeeId: 'E002',
        type: 'out',
        at: '2026-03-02T21:00:00+08:00',
        reason: 'left late',
      }),
    ).toBe('CORRECTION_INVALID')
    expect(
      await code('attendance:correct', {
        kind: 'added',
        employeeId: 'E404',
        type: 'out',
        at: '2026-03-02T18:00:00+08:00',
        reason: 'left',
      }),
    ).toBe('EMPLOYEE_UNKNOWN')
    expect(
      await code('attendance:correct', {
        kind: 'added',
        employeeId: 'E002',
        type: 'out',
        at: '2026-03-02T18:00:00+08:00',
        reason: '',
      }),
    ).toBe('INVALID_PAYLOAD')
    await call(t.kiosk, 'correctPunch', {
      kind: 'added',
      employeeId: 'E002',
      type: 'out',
      at: '2026-03-02T17:30:00+08:00',
      reason: 'forgot the badge',
    })
    expect(await dayOf('E002', '2026-03-02')).toMatchObject({
      status: 'present',
      lastOut: '17:30',
      earlyMinutes: 30,
      workedMinutes: 510,
    })
  })
})

describe('automatic check-out', () => {
  it('closes an open in at the fixed time, marked auto and missing a check-out', async () => {
    await kioskAt('2026-03-02', '08:58', {
      attendance: { autoCheckout: { mode: 'at', at: '23:00', afterEndMinutes: 0 } },
    })
    await badge('10001')
    moveTo('2026-03-02', '23:01')
    // The kiosk's own timer would do this every minute; run one round now.
    expect(t.kiosk.autoCheckout.run()).toBe(1)
    expect(t.kiosk.autoCheckout.run()).toBe(0)
    const out = t.kiosk.store.get<{
      method: string
      correction_kind: string
      entered_by: string
      type: string
    }>(`SELECT method, correction_kind, entered_by, type FROM punches WHERE method = 'auto'`)
    expect(out).toEqual({
      method: 'auto',
      correction_kind: 'added',
      entered_by: 'kiosk',
      type: 'out',
    })
    await unlock()
    expect(await dayOf('E001', '2026-03-02')).toMatchObject({
      lastOut: '23:00',
      autoCheckout: true,
      missingCheckout: true,
      earlyMinutes: 0,
    })
    moveTo('2026-03-03', '08:59')
    expect((await badge('10001')).forgotten).toBeUndefined()
  })
})

describe('punching on a night shift', () => {
  it('checks out the next morning instead of checking in again', async () => {
    t = await openTestKiosk({ timeZone: zone }, zonedToInstant('2026-03-02', '21:55', zone))
    t.importCsv(
      ['id,name,badge,schedule_start,schedule_end', 'N001,Night Owl,20001,22:00,06:00'].join('\n'),
    )
    expect((await badge('20001')).punch).toMatchObject({ type: 'in', localDate: '2026-03-02' })
    moveTo('2026-03-03', '06:05')
    const out = await badge('20001')
    expect(out.punch).toMatchObject({ type: 'out', localDate: '2026-03-02', early: false })
    expect(out.forgotten).toBeUndefined()
  })
})

describe('weekly schedules from the roster file', () => {
  it('reads a schedule per weekday and flags each day against its own hours', async () => {
    t = await openTestKiosk({ timeZone: zone }, zonedToInstant('2026-03-07', '10:20', zone))
    const report = t.importCsv(
      [
        'id,name,badge,schedule',
        'W001,Wen Week,40001,1-5 09:00-18:00; 6 10:00-14:00',
        'W002,Bad Week,40002,Mon-Fri 9-6',
      ].join('\n'),
    )
    expect(report.rejected).toEqual([
      {
        line: 3,
        reason:
          'schedule must be weekdays and hours like "1-5 09:00-18:00; 6 10:00-14:00", got "Mon-Fri 9-6"',
      },
    ])
    // Saturday 10:20: late against Saturday's 10:00, which a single 09:00–18:00 would not say.
    const saturday = await badge('40001')
    expect(saturday.punch).toMatchObject({ type: 'in', late: true })
    moveTo('2026-03-07', '13:50')
    expect((await badge('40001')).punch).toMatchObject({ type: 'out', early: false })
  })
})

describe('night shifts across DST, on the kiosk', () => {
  for (const [zone_, start, end, hours] of [
    ['Europe/Berlin', '2026-10-24', '2026-10-25', 9], // clocks go back at 03:00
    ['America/New_York', '2026-03-07', '2026-03-08', 7], // clocks go forward at 02:00
  ] as const) {
    it(`counts a 22:00–06:00 shift as ${hours} hours in ${zone_}`, async () => {
      t = await openTestKiosk(
        { timeZone: zone_, adminPinHash: hashPin('2468') },
        zonedToInstant(start, '21:58', zone_),
      )
      t.importCsv(['id,name,badge,schedule', 'N002,Nia Night,50001,1-7 22:00-06:00'].join('\n'))
      expect((await badge('50001')).punch.type).toBe('in')
      t.clock.now = zonedToInstant(end, '06:00', zone_)
      expect((await badge('50001')).punch).toMatchObject({ type: 'out', localDate: start })
      await unlock()
      const report = await call(t.kiosk, 'getAttendanceReport', { from: start, to: start })
      expect(report.days).toMatchObject([
        { date: start, status: 'present', workedMinutes: hours * 60 + 2, lateMinutes: 0 },
      ])
    })
  }
})
