import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportPunches } from '../../../electron/core/attendance/export'
import { parseCsv, restoreDefused } from '../../../electron/core/csv'
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

  it('keeps punches made in the same millisecond in the order they were recorded', async () => {
    const people = ['E11', 'E12', 'E13', 'E14', 'E15', 'E16', 'E17']
    t.importCsv(`id,name,badge\n${people.map((id, i) => `${id},P ${id},3000${i}`).join('\n')}`)
    // The test clock stands still: every punch below has the same instant.
    for (let i = 0; i < people.length; i++) {
      await t.kiosk.gate('attendance:badge', { badge: `3000${i}` })
    }
    const file = join(t.dataDir, 'out.csv')
    expect(exportPunches(t.kiosk.store, file)).toBe(people.length)
    const rows = parseCsv(await readFile(file, 'utf8')).slice(1)
    expect(rows.map((r) => r.fields[1])).toEqual(people)
  })

  it('defuses spreadsheet formulas in every text cell, and they read back as they were', async () => {
    const payload = `-1+cmd|' /C calc'!A0`
    t.importCsv(`id,name,badge\n=1+2,"${payload.replace(/"/g, '""')}",20001\n@E7,Ann,20002`)
    t.kiosk.store.commit([
      [`UPDATE employees SET name = ? WHERE id = '@E7'`, ['\r=HYPERLINK("x")']],
    ])
    await t.kiosk.gate('attendance:badge', { badge: '20001' })
    await t.kiosk.gate('attendance:badge', { badge: '20002' })
    const file = join(t.dataDir, 'out.csv')
    expect(exportPunches(t.kiosk.store, file)).toBe(2)
    const text = await readFile(file, 'utf8')
    const rows = parseCsv(text)
      .slice(1)
      .map((r) => r.fields)
    for (const cell of rows.flat()) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r\n]/)
    expect(rows.map((r) => r.slice(1, 3))).toEqual([
      ["'=1+2", `'${payload}`],
      ["'@E7", `'\r=HYPERLINK("x")`],
    ])
    expect(rows[0]!.slice(1, 3).map(restoreDefused)).toEqual(['=1+2', payload])
    expect(rows[1]!.slice(1, 3).map(restoreDefused)).toEqual(['@E7', '\r=HYPERLINK("x")'])
  })
})
