/**
 * Punches from a previous time clock on real sql.js with real files: per-row errors by line,
 * one durable commit for the good rows, idempotent re-import, the kiosk's own derived fields,
 * and a round trip export → import into a fresh kiosk that gives the same punches.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportPunches } from '../../../electron/core/attendance/export'
import {
  derivedPunchId,
  importPunches,
  parseOccurredAt,
  PunchFileError,
} from '../../../electron/core/attendance/punch-import'
import { runOperation } from '../../../electron/core/control/operations'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
let fresh: TestKiosk | undefined
// 2026-03-02 08:50 in Shanghai, a Monday.
const now = Date.parse('2026-03-02T00:50:00Z')

beforeEach(async () => {
  t = await openTestKiosk({}, now)
  t.importCsv(sampleRosterCsv)
})
afterEach(async () => {
  await t.cleanup()
  await fresh?.cleanup()
  fresh = undefined
})

const header = 'id,employee_id,type,occurred_at,method'
const importText = (text: string, upload = true) =>
  importPunches(t.kiosk.store, t.kiosk.config, text, {
    now: t.clock.now,
    upload,
    file: '/tmp/old.csv',
    actor: 'cli',
  })
const stored = () =>
  t.kiosk.store.all<Record<string, unknown>>(
    `SELECT id, employee_id, employee_name, type, method, occurred_at, local_date, late, early,
       time_zone, site_id, utc_offset_min FROM punches ORDER BY occurred_at, rowid`,
  )

describe('punch import', () => {
  it('imports the good rows in one commit and names every bad row by line', async () => {
    const id = '8a3f2c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b'
    const text = [
      `${header},employee_name,late,shoe_size`,
      `${id},E001,in,2026-02-27T09:20:00+08:00,badge,Someone Else,0,42`,
      `,E002,out,2026-02-27T18:00:00Z,pin,,,`,
      `,E404,in,2026-02-27T09:00:00+08:00,badge,,,`,
      `,E001,sideways,2026-02-27T09:00:00+08:00,badge,,,`,
      `,E001,in,2026-02-27T09:00:00,badge,,,`,
      `,E001,in,2026-03-03T09:00:00+08:00,badge,,,`,
      `,E001,in,2026-02-27T09:00:00+08:00,retina,,,`,
      `${id},E002,in,2026-02-26T09:00:00+08:00,badge,,,`,
      `not-a-uuid,E002,in,2026-02-26T09:00:00+08:00,badge,,,`,
      `,E001,in,2026-02-30T09:00:00+08:00,badge,,,`,
      `,E003,in,2026-02-26T09:00:00+08:00,manual,,,`,
      `,E001,out`,
    ].join('\r\n')
    const report = await importText(text)
    expect(report.rejected).toEqual([
      { line: 4, reason: 'unknown employee "E404" (import the roster first)' },
      { line: 5, reason: 'type must be "in" or "out", got "sideways"' },
      {
        line: 6,
        reason:
          'occurred_at "2026-02-27T09:00:00" has no UTC offset: add it (2026-02-27T09:00:00+08:00, say, or Z)',
      },
      { line: 7, reason: 'occurred_at 2026-03-03T09:00:00+08:00 is in the future' },
      { line: 8, reason: 'method must be one of face, badge, pin, manual, auto, got "retina"' },
      { line: 9, reason: `id ${id} is on line 2 too` },
      { line: 10, reason: 'id must be a UUID, got "not-a-uuid"' },
      { line: 11, reason: 'occurred_at "2026-02-30T09:00:00+08:00" is not a real date and time' },
      { line: 13, reason: 'expected 8 fields as in the header, found 3' },
    ])
    expect(report).toMatchObject({ imported: 3, alreadyStored: 0, queued: true })
    expect(report.ignoredColumns).toEqual(['shoe_size'])
    const rows = stored()
    expect(rows.map((r) => [r.employee_id, r.employee_name, r.type, r.method])).toEqual([
      ['E003', 'Bob Stone', 'in', 'manual'],
      ['E001', '张伟', 'in', 'badge'],
      ['E002', 'Alice Martin', 'out', 'pin'],
    ])
    expect(rows[1]).toMatchObject({
      id,
      local_date: '2026-02-27',
      late: 1,
      time_zone: 'Asia/Shanghai',
    })
    // 18:00 UTC is 02:00 the next day in Shanghai: the site's day, not the file's.
    expect(rows[2]).toMatchObject({ local_date: '2026-02-28', utc_offset_min: 480, site_id: 'hq' })
    const queued = t.kiosk.store.all(`SELECT punch_id FROM outbox`)
    expect(queued).toHaveLength(3)
    const audit = t.kiosk.store.get<{ detail: string }>(
      `SELECT detail FROM audit WHERE action = 'punches.import'`,
    )
    expect(JSON.parse(audit!.detail)).toEqual({
      file: '/tmp/old.csv',
      imported: 3,
      alreadyStored: 0,
      rejected: 9,
      queued: true,
    })
  })

  it('is idempotent by id, and refuses an id stored for a different punch', async () => {
    const text = [
      header,
      ',E001,in,2026-02-27T08:55:00+08:00,badge',
      ',E001,out,2026-02-27T18:05:00+08:00,badge',
    ].join('\n')
    expect(await importText(text)).toMatchObject({ imported: 2, alreadyStored: 0, rejected: [] })
    // The same instants written in UTC derive the same ids.
    const again = [
      header,
      ',E001,in,2026-02-27T00:55:00Z,badge',
      ',E001,out,2026-02-27T10:05:00.000Z,badge',
    ].join('\n')
    expect(await importText(again)).toMatchObject({ imported: 0, alreadyStored: 2, rejected: [] })
    const id = derivedPunchId('E001', 'in', Date.parse('2026-02-27T00:55:00Z'))
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const changed = `${header}\n${id},E001,in,2026-02-27T08:59:00+08:00,badge\n`
    const report = await importText(changed)
    expect(report.imported).toBe(0)
    expect(report.rejected).toEqual([
      {
        line: 2,
        reason: `id ${id} is already stored for a different punch (E001, in at 2026-02-27T00:55:00.000Z, badge)`,
      },
    ])
    expect(stored()).toHaveLength(2)
  })

  it('leaves imported punches out of the upload queue when asked', async () => {
    const report = await importText(`${header}\n,E002,in,2026-02-27T09:00:00+08:00,auto\n`, false)
    expect(report).toMatchObject({ imported: 1, queued: false })
    expect(t.kiosk.store.all(`SELECT * FROM outbox`)).toEqual([])
  })

  it('refuses a file that is not punches, importing nothing', async () => {
    await expect(importText('id,name,badge\nE001,x,1\n')).rejects.toThrow(PunchFileError)
    await expect(importText('id,name,badge\nE001,x,1\n')).rejects.toThrow(
      'the header row lacks employee_id, type, occurred_at, method',
    )
    await expect(importText('')).rejects.toThrow('the file is empty')
    await expect(importText(`${header}\n"open,E001`)).rejects.toThrow(
      'a quoted field is never closed',
    )
    await expect(importText(`${header}\n${'x\n'.repeat(200_001)}`)).rejects.toThrow(
      'the file holds 200001 rows, more than 200000 in one import; split it',
    )
    expect(stored()).toEqual([])
  })

  it('reads RFC 3339 strictly', () => {
    expect(parseOccurredAt('2026-03-08T02:30:00-05:00')).toBe(Date.parse('2026-03-08T07:30:00Z'))
    expect(parseOccurredAt('2026-03-08 02:30:00.25+05:45')).toBe(
      Date.parse('2026-03-08T02:30:00.250+05:45'),
    )
    for (const bad of ['2026-03-08T24:00:00Z', '2026-03-08T10:00Z', '08/03/2026 10:00', '']) {
      expect(typeof parseOccurredAt(bad)).toBe('string')
    }
  })

  it('round-trips: a kiosk export imported into a fresh kiosk gives the same punches', async () => {
    for (const [badge, minutes] of [
      ['10001', 0],
      ['10002', 5],
      // 17:20, an early out; 09:20 the next day, a late in.
      ['10001', 8 * 60 + 30],
      ['10001', 24 * 60 + 30],
    ] as const) {
      t.clock.now = now + minutes * 60_000
      await call(t.kiosk, 'recordBadgePunch', { badge })
    }
    const first = join(t.dataDir, 'first.csv')
    expect(exportPunches(t.kiosk.store, first)).toBe(4)
    const flags = (await readFile(first, 'utf8')).split('\r\n').map((l) => l.split(',').slice(7, 9))
    expect(flags.slice(1, 5)).toEqual([
      ['false', 'false'],
      ['false', 'false'],
      ['false', 'true'],
      ['true', 'false'],
    ])
    fresh = await openTestKiosk({}, t.clock.now)
    fresh.importCsv(sampleRosterCsv)
    const ctx = fresh.kiosk.operations
    const outcome = await runOperation(
      ctx,
      'punches import',
      { file: first, upload: false },
      'local',
    )
    expect(outcome).toMatchObject({ encoding: 'UTF-8', report: { imported: 4, rejected: [] } })
    const second = join(fresh.dataDir, 'second.csv')
    exportPunches(fresh.kiosk.store, second)
    expect(await readFile(second, 'utf8')).toBe(await readFile(first, 'utf8'))
    const again = await runOperation(ctx, 'punches import', { file: second, upload: true }, 'local')
    expect(again).toMatchObject({ report: { imported: 0, alreadyStored: 4 } })
  })

  it('lets the door record punches while a long import is being checked', async () => {
    const rows = ['employee_id,type,occurred_at,method']
    for (let i = 0; i < 2000; i++) {
      rows.push(
        `E002,${i % 2 ? 'out' : 'in'},${new Date(now - (i + 1) * 3_600_000).toISOString()},pin`,
      )
    }
    const file = join(t.dataDir, 'long.csv')
    await writeFile(file, rows.join('\n'))
    const options = { file, upload: false }
    const importing = runOperation(t.kiosk.operations, 'punches import', options, 'local')
    // A timer, like a badge scan arriving as I/O: it runs only when the import gives way.
    await new Promise((resolve) => setTimeout(resolve, 0))
    const punch = await call(t.kiosk, 'recordBadgePunch', { badge: '10001' })
    expect(await importing).toMatchObject({ report: { imported: 2000 } })
    const order = t.kiosk.store.all<{ employee_id: string }>(
      `SELECT employee_id FROM punches ORDER BY rowid`,
    )
    expect(punch).toMatchObject({ status: 'recorded' })
    expect(order[0]!.employee_id).toBe('E001')
  })

  it('reads a GBK file from a Chinese time clock and keeps names from the roster', async () => {
    const file = join(t.dataDir, 'gbk.csv')
    const text = [
      'employee_id,employee_name,type,occurred_at,method',
      'E001,张伟,in,2026-02-27T08:55:00+08:00,badge',
      'E002,李小红,in,2026-02-27T08:56:00+08:00,badge',
      'E001,张伟,out,2026-02-27T18:01:00+08:00,face',
    ].join('\r\n')
    await writeFile(file, iconv.encode(text, 'gbk'))
    const outcome = await runOperation(
      t.kiosk.operations,
      'punches import',
      { file, upload: true },
      'local',
    )
    expect(outcome).toMatchObject({ encoding: 'GB18030', report: { imported: 3 } })
    expect(stored().map((r) => r.employee_name)).toEqual(['张伟', 'Alice Martin', '张伟'])
  })
})
