import { describe, expect, it } from 'vitest'
import {
  addDays,
  isoWeekday,
  monthOf,
  siteInstant,
  siteToday,
} from '../../../renderer/src/stores/working-days'

describe('working days at the site', () => {
  it("names today in the site's zone, not the machine's", () => {
    const lateEvening = Date.parse('2026-03-09T17:30:00Z')
    expect(siteToday(lateEvening, 'Asia/Shanghai')).toBe('2026-03-10')
    expect(siteToday(lateEvening, 'America/New_York')).toBe('2026-03-09')
  })

  it('moves across month and leap-year ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(monthOf('2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(isoWeekday('2026-03-09')).toBe(1)
    expect(isoWeekday('2026-03-15')).toBe(7)
  })

  it('gives a wall-clock time the offset the site has on that day, DST included', () => {
    expect(siteInstant('2026-03-09', '18:00', 'Asia/Shanghai')).toBe('2026-03-09T18:00:00+08:00')
    expect(siteInstant('2026-03-07', '18:00', 'America/New_York')).toBe('2026-03-07T18:00:00-05:00')
    expect(siteInstant('2026-03-09', '18:00', 'America/New_York')).toBe('2026-03-09T18:00:00-04:00')
    expect(siteInstant('2026-10-25', '01:30', 'Europe/Berlin')).toBe('2026-10-25T01:30:00+02:00')
    expect(siteInstant('2026-10-25', '12:00', 'Europe/Berlin')).toBe('2026-10-25T12:00:00+01:00')
    // 02:30 never happens that night: read with the offset before the jump, it is 03:30 CEST.
    expect(siteInstant('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T02:30:00+01:00')
  })
})
