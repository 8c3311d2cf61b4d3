import { describe, expect, it } from 'vitest'
import {
  formatRfc3339,
  parseClockTime,
  parseLocalDate,
  zonedParts,
  zonedToInstant,
} from '../../../electron/core/attendance/zoned-time'

describe('zoned time', () => {
  it('gives local date, time and offset in a fixed-offset zone', () => {
    const p = zonedParts(Date.parse('2026-03-01T16:30:00Z'), 'Asia/Shanghai')
    expect(p).toMatchObject({ date: '2026-03-02', time: '00:30', offsetMinutes: 480, weekday: 1 })
  })

  it('follows DST in Europe/Berlin: +01:00 in winter, +02:00 in summer', () => {
    expect(zonedParts(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Berlin').offsetMinutes).toBe(60)
    expect(zonedParts(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({
      time: '03:00',
      offsetMinutes: 120,
    })
  })

  it('maps local wall time back to the instant, DST-correct', () => {
    expect(zonedToInstant('2026-07-01', '09:00', 'Europe/Berlin')).toBe(
      Date.parse('2026-07-01T07:00:00Z'),
    )
    expect(zonedToInstant('2026-01-05', '09:00', 'Europe/Berlin')).toBe(
      Date.parse('2026-01-05T08:00:00Z'),
    )
    expect(zonedToInstant('2026-03-08', '09:00', 'America/New_York')).toBe(
      Date.parse('2026-03-08T13:00:00Z'),
    )
  })

  it('resolves a time skipped by spring-forward to after the jump', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; it behaves like 03:30 CEST.
    expect(zonedToInstant('2026-03-29', '02:30', 'Europe/Berlin')).toBe(
      Date.parse('2026-03-29T01:30:00Z'),
    )
  })

  it('resolves a repeated fall-back time to its first occurrence', () => {
    expect(zonedToInstant('2026-10-25', '02:30', 'Europe/Berlin')).toBe(
      Date.parse('2026-10-25T00:30:00Z'),
    )
  })

  it('formats RFC 3339 with the offset', () => {
    expect(formatRfc3339(Date.parse('2026-03-02T00:57:00Z'), 480)).toBe('2026-03-02T08:57:00+08:00')
    expect(formatRfc3339(Date.parse('2026-03-02T13:57:30Z'), -300)).toBe(
      '2026-03-02T08:57:30-05:00',
    )
    expect(formatRfc3339(Date.parse('2026-03-02T03:27:00Z'), 330)).toBe('2026-03-02T08:57:00+05:30')
  })

  it('parses dates and clock times strictly', () => {
    expect(parseLocalDate('2026-02-28')).toBe('2026-02-28')
    expect(parseLocalDate('2026-02-30')).toBeUndefined()
    expect(parseLocalDate('26-2-3')).toBeUndefined()
    expect(parseClockTime('09:05')).toBe(545)
    expect(parseClockTime('24:00')).toBeUndefined()
    expect(parseClockTime('9:05')).toBeUndefined()
  })
})
