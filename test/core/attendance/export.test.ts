import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportPunches } from '../../../electron/core/attendance/export'
import { parseCsv } from '../../../electron/core/csv'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
beforeEach(async () => {
  t = await openTestKiosk({}, Date.parse('2026-03-02T00:57:00Z'))
  t.importCsv(sampleRosterCsv)
})
afterEach(() => t.cleanup())

describe('punch export', () => {
  it('writes the agreed columns with RFC 3339 times, filtered by site days', async () => {
    await t.kiosk.gate('attendance:badge', { badge: '10001' }) // 2026-03-02 08:57
    t.clock.now = Date.parse('2026-03-03T10:05:00Z') // 2026-03-03 18:05
    await t.kiosk.gate('attendance:badge', { badge: '10002' })
    const file = join(t.dataDir, 'out.csv')
    expect(exportPunches(t.kiosk.store, file)).toBe(2)
    const text = await readFile(file, 'utf8')
    const [header, first, second] = parseCsv(text).map((r) => r.fields)
    expect(header!.slice(0, 9)).toEqual([
      'id',
      'employee_id',
      'employee_name',
      'type',
      'occurred_at',
      'method',
      'site_id',
      'late',
      'early',
    ])
    expect(first!.slice(1, 9)).toEqual([
      'E001',
      '张伟',
      'in',
      '2026-03-02T08:57:00+08:00',
      'badge',
      'hq',
      'false',
      'false',
    ])
    expect(second![1]).toBe('E002')

    expect(exportPunches(t.kiosk.store, file, { from: '2026-03-03' })).toBe(1)
    expect(exportPunches(t.kiosk.store, file, { to: '2026-03-02' })).toBe(1)
    expect(exportPunches(t.kiosk.store, file, { from: '2026-03-04' })).toBe(0)
    expect(parseCsv(await readFile(file, 'utf8'))).toHaveLength(1)
  })

  it('pages through many punches in time order', async () => {
    for (let i = 0; i < 30; i++) {
      await t.kiosk.gate('attendance:badge', { badge: '10002' })
      t.clock.advance(3 * 60_000)
    }
    const file = join(t.dataDir, 'all.csv')
    expect(exportPunches(t.kiosk.store, file)).toBe(30)
    const rows = parseCsv(await readFile(file, 'utf8')).slice(1)
    const times = rows.map((r) => r.fields[4]!)
    expect([...times].sort()).toEqual(times)
    expect(rows.map((r) => r.fields[3])).toEqual(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? 'out' : 'in')),
    )
  })
})
