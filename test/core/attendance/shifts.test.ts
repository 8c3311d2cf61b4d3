/** Working days, night shifts, DST and holidays: the rules the timesheet stands on. */
import { describe, expect, it } from 'vitest'
import { summarizeDay, type DayPunch } from '../../../electron/core/attendance/day-summary'
import {
  parseWeekSchedule,
  shiftOn,
  workingDayBounds,
  workingDayOf,
  type WeekSchedule,
} from '../../../electron/core/attendance/shifts'
import { zonedToInstant } from '../../../electron/core/attendance/zoned-time'

const every = (start: string, end: string): WeekSchedule =>
  Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, { start, end }]))

function day(
  zone: string,
  week: WeekSchedule,
  date: string,
  punches: [type: 'in' | 'out', date: string, time: string, method?: string][],
  options: { holidays?: string[]; now?: number; grace?: number } = {},
) {
  const at = (d: string, t: string) => zonedToInstant(d, t, zone)
  const calendar = { timeZone: zone, holidays: new Set(options.holidays ?? []) }
  const list: DayPunch[] = punches.map(([type, d, t, method]) => ({
    type,
    occurredAt: at(d, t),
    method: method ?? 'badge',
    effective: true,
    correction: false,
  }))
  return summarizeDay(list, shiftOn(date, week, calendar), workingDayBounds(date, week, zone).to, {
    timeZone: zone,
    lateGraceMinutes: options.grace ?? 15,
    earlyGraceMinutes: options.grace ?? 15,
    maxShiftMs: 16 * 3_600_000,
    now: options.now ?? Date.parse('2027-01-01T00:00:00Z'),
  })
}

describe('working days', () => {
  const night = every('22:00', '06:00')
  const zone = 'Asia/Shanghai'

  it('puts a night shift’s out on the day the shift started', () => {
    const at = (d: string, t: string) => zonedToInstant(d, t, zone)
    expect(workingDayOf(at('2026-03-03', '05:50'), night, zone)).toBe('2026-03-02')
    expect(workingDayOf(at('2026-03-03', '13:59'), night, zone)).toBe('2026-03-02')
    // Halfway through the 16 hours off (06:00–22:00) the next night's day begins.
    expect(workingDayOf(at('2026-03-03', '14:00'), night, zone)).toBe('2026-03-03')
    expect(workingDayOf(at('2026-03-03', '21:50'), night, zone)).toBe('2026-03-03')
    // A day shift keeps calendar days.
    expect(workingDayOf(at('2026-03-03', '05:50'), every('09:00', '18:00'), zone)).toBe(
      '2026-03-03',
    )
  })

  it('counts a night shift 22:00–06:00 for the day it starts, with its real length', () => {
    const d = day(zone, night, '2026-03-02', [
      ['in', '2026-03-02', '21:58'],
      ['out', '2026-03-03', '06:02'],
    ])
    expect(d).toMatchObject({
      status: 'present',
      workedMinutes: 484,
      lateMinutes: 0,
      earlyMinutes: 0,
    })
  })

  it('lasts its real elapsed time across the autumn change (Europe/Berlin, 25 Oct 2026)', () => {
    const z = 'Europe/Berlin'
    const d = day(z, every('22:00', '06:00'), '2026-10-24', [
      ['in', '2026-10-24', '22:00'],
      ['out', '2026-10-25', '06:00'],
    ])
    expect(d.workedMinutes).toBe(9 * 60)
    expect(d.earlyMinutes).toBe(0)
  })

  it('lasts its real elapsed time across the spring change (America/New_York, 8 Mar 2026)', () => {
    const z = 'America/New_York'
    const d = day(z, every('22:00', '06:00'), '2026-03-07', [
      ['in', '2026-03-07', '22:00'],
      ['out', '2026-03-08', '06:00'],
    ])
    expect(d.workedMinutes).toBe(7 * 60)
  })

  it('measures lateness from the scheduled instant on DST days (Berlin spring, NY autumn)', () => {
    const berlin = day('Europe/Berlin', every('09:00', '18:00'), '2026-03-29', [
      ['in', '2026-03-29', '09:20'],
      ['out', '2026-03-29', '18:00'],
    ])
    expect(berlin).toMatchObject({ lateMinutes: 20, workedMinutes: 520 })
    // A shift across the 01:00–02:00 repeat in New York lasts an hour longer than the clock says.
    const ny = day('America/New_York', every('00:00', '08:00'), '2026-11-01', [
      ['in', '2026-11-01', '00:00'],
      ['out', '2026-11-01', '08:00'],
    ])
    expect(ny.workedMinutes).toBe(9 * 60)
  })

  it('counts late and early minutes only past the grace period', () => {
    const nine = every('09:00', '18:00')
    const late = (t: string) =>
      day(zone, nine, '2026-03-02', [
        ['in', '2026-03-02', t],
        ['out', '2026-03-02', '18:00'],
      ]).lateMinutes
    expect(late('09:20')).toBe(20)
    expect(late('09:10')).toBe(0)
    expect(late('09:15')).toBe(0)
    expect(late('09:16')).toBe(16)
    const early = (t: string) =>
      day(zone, nine, '2026-03-02', [
        ['in', '2026-03-02', '09:00'],
        ['out', '2026-03-02', t],
      ]).earlyMinutes
    expect(early('17:45')).toBe(0)
    expect(early('17:40')).toBe(20)
  })

  it('treats holidays as neither absences nor late days', () => {
    const nine = every('09:00', '18:00')
    expect(day(zone, nine, '2026-05-01', [], { holidays: ['2026-05-01'] }).status).toBe('holiday')
    expect(day(zone, nine, '2026-05-02', []).status).toBe('absent')
    const worked = day(
      zone,
      nine,
      '2026-05-01',
      [
        ['in', '2026-05-01', '11:00'],
        ['out', '2026-05-01', '15:00'],
      ],
      {
        holidays: ['2026-05-01'],
      },
    )
    expect(worked).toMatchObject({
      status: 'present',
      lateMinutes: 0,
      earlyMinutes: 0,
      workedMinutes: 240,
    })
    expect(day(zone, {}, '2026-05-02', []).status).toBe('off')
  })

  it('reads per-weekday schedules and measures each day against its own hours', () => {
    const week = parseWeekSchedule('1-5 09:00-18:00; 6 10:00-14:00')!
    expect(week[6]).toEqual({ start: '10:00', end: '14:00' })
    expect(week[7]).toBeUndefined()
    // 2026-03-07 is a Saturday.
    const saturday = day(zone, week, '2026-03-07', [
      ['in', '2026-03-07', '10:30'],
      ['out', '2026-03-07', '14:00'],
    ])
    expect(saturday.lateMinutes).toBe(30)
    expect(day(zone, week, '2026-03-08', []).status).toBe('off')
    for (const bad of ['', '8 09:00-18:00', '1-5 9:00-18:00', '5-1 09:00-18:00', '1 09:00-09:00']) {
      expect(parseWeekSchedule(bad), bad).toBeUndefined()
    }
  })

  it('calls an in with no out incomplete once its day is over, not while it goes on', () => {
    const nine = every('09:00', '18:00')
    const punches: Parameters<typeof day>[3] = [['in', '2026-03-02', '09:00']]
    const during = zonedToInstant('2026-03-02', '12:00', zone)
    expect(day(zone, nine, '2026-03-02', punches, { now: during })).toMatchObject({
      status: 'present',
      missingCheckout: false,
    })
    expect(day(zone, nine, '2026-03-02', punches)).toMatchObject({
      status: 'incomplete',
      missingCheckout: true,
      workedMinutes: 0,
    })
    const auto = day(zone, nine, '2026-03-02', [...punches, ['out', '2026-03-02', '23:00', 'auto']])
    expect(auto).toMatchObject({
      status: 'present',
      missingCheckout: true,
      autoCheckout: true,
      earlyMinutes: 0,
    })
  })
})
