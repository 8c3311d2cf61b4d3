import { describe, expect, it } from 'vitest'
import type { DaySummaryView } from '../../../electron/shared/attendance-types'
import { daySeries, personWeeks } from '../../../renderer/src/components/report-charts'

function row(date: string, overrides: Partial<DaySummaryView> = {}): DaySummaryView {
  return {
    employeeId: 'E1',
    employeeName: 'Anna Li',
    date,
    status: 'present',
    firstIn: '08:55',
    lastOut: '18:00',
    workedMinutes: 545,
    lateMinutes: 0,
    earlyMinutes: 0,
    missingCheckout: false,
    autoCheckout: false,
    corrections: 0,
    ...overrides,
  }
}

describe('report charts', () => {
  it('counts the rate over people scheduled, and late arrivals, per day', () => {
    const rows = [
      row('2026-03-09'),
      row('2026-03-09', { employeeId: 'E2', status: 'incomplete', lateMinutes: 12 }),
      row('2026-03-09', { employeeId: 'E3', status: 'absent', firstIn: null }),
      row('2026-03-09', { employeeId: 'E4', status: 'off' }),
      row('2026-03-10', { status: 'holiday' }),
    ]
    expect(daySeries('2026-03-09', '2026-03-11', rows)).toEqual({
      dates: ['2026-03-09', '2026-03-10', '2026-03-11'],
      rate: [66.7, null, null],
      late: [1, 0, 0],
    })
  })

  it("lays a person's days out as Monday-first weeks, late days marked", () => {
    const weeks = personWeeks('2026-03-01', '2026-03-10', [
      row('2026-03-02'),
      row('2026-03-03', { lateMinutes: 20 }),
      row('2026-03-04', { status: 'absent' }),
    ])
    expect(weeks).toHaveLength(3)
    expect(weeks[0]!.slice(0, 6)).toEqual([null, null, null, null, null, null])
    expect(weeks[0]![6]!.date).toBe('2026-03-01')
    expect(weeks[1]!.map((cell) => cell?.look)).toEqual([
      'present',
      'late',
      'absent',
      'none',
      'none',
      'none',
      'none',
    ])
    expect(weeks[2]!.map((cell) => cell?.date ?? null)).toEqual([
      '2026-03-09',
      '2026-03-10',
      null,
      null,
      null,
      null,
      null,
    ])
  })
})
