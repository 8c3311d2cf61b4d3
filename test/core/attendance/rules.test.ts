import { describe, expect, it } from 'vitest'
import {
  decideDirection,
  isRepeatScan,
  parseWeekdays,
  scheduleFlags,
} from '../../../electron/core/attendance/rules'

const grace = { lateMinutes: 15, earlyMinutes: 15 }
const nineToSix = { start: '09:00', end: '18:00', days: null }

describe('attendance rules', () => {
  it('goes in first, out after an in, in again after an out, and in on a new day', () => {
    expect(decideDirection(undefined, '2026-03-02')).toBe('in')
    const inToday = { type: 'in' as const, occurredAt: 0, localDate: '2026-03-02' }
    expect(decideDirection(inToday, '2026-03-02')).toBe('out')
    expect(decideDirection({ ...inToday, type: 'out' }, '2026-03-02')).toBe('in')
    expect(decideDirection(inToday, '2026-03-03')).toBe('in')
  })

  it('treats a scan inside the window as a repeat and one after it as new', () => {
    const previous = { type: 'in' as const, occurredAt: 1_000_000, localDate: 'x' }
    expect(isRepeatScan(previous, 1_000_000 + 119_999, 120)).toBe(true)
    expect(isRepeatScan(previous, 1_000_000 + 120_000, 120)).toBe(false)
    expect(isRepeatScan(undefined, 5, 120)).toBe(false)
  })

  it('flags late after start plus grace, in the site zone', () => {
    const at = (iso: string) =>
      scheduleFlags('in', Date.parse(iso), 'Asia/Shanghai', nineToSix, grace)
    expect(at('2026-03-02T01:15:00Z').late).toBe(false) // 09:15 local
    expect(at('2026-03-02T01:15:01Z').late).toBe(true)
  })

  it('flags early leave before end minus grace', () => {
    const at = (iso: string) =>
      scheduleFlags('out', Date.parse(iso), 'Asia/Shanghai', nineToSix, grace)
    expect(at('2026-03-02T09:44:59Z').early).toBe(true) // 17:44:59 local
    expect(at('2026-03-02T09:45:00Z').early).toBe(false)
  })

  it('measures lateness in elapsed time across a DST change', () => {
    // New York springs forward on 2026-03-08: 09:00 EDT is 13:00Z, not 14:00Z.
    const flags = scheduleFlags(
      'in',
      Date.parse('2026-03-08T13:20:00Z'),
      'America/New_York',
      nineToSix,
      grace,
    )
    expect(flags.late).toBe(true)
    const onTime = scheduleFlags(
      'in',
      Date.parse('2026-03-08T13:10:00Z'),
      'America/New_York',
      nineToSix,
      grace,
    )
    expect(onTime.late).toBe(false)
  })

  it('does not flag on days outside the schedule', () => {
    const weekdays = { ...nineToSix, days: [1, 2, 3, 4, 5] }
    // 2026-03-07 is a Saturday.
    const flags = scheduleFlags(
      'in',
      Date.parse('2026-03-07T03:00:00Z'),
      'Asia/Shanghai',
      weekdays,
      grace,
    )
    expect(flags.late).toBe(false)
  })

  it('parses weekday lists', () => {
    expect(parseWeekdays('1-5')).toEqual([1, 2, 3, 4, 5])
    expect(parseWeekdays('1;3,5')).toEqual([1, 3, 5])
    expect(parseWeekdays('0-8')).toBeUndefined()
    expect(parseWeekdays('5-1')).toBeUndefined()
  })
})
