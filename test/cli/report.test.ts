/**
 * `npm run cli -- report attendance`: the report as CSV or XLSX, by file extension, from the
 * punches a previous clock left (punches import) with a night shift and a forgotten check-out.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../fixtures/cli'

let dir: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-cli-report-'))
  const config = join(dir, 'config.json')
  await writeFile(
    config,
    JSON.stringify({ timeZone: 'Europe/Berlin', holidays: ['2026-03-04'], site: { id: 'hq' } }),
  )
  env = { CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: join(dir, 'data') }
  await writeFile(
    join(dir, 'roster.csv'),
    [
      'id,name,badge,schedule_start,schedule_end,schedule_days',
      'D001,Dana Day,30001,09:00,18:00,1-5',
      'N001,Nico Night,30002,22:00,06:00,1-5',
    ].join('\n'),
  )
  expect(runCli(env, 'roster', 'import', join(dir, 'roster.csv')).code).toBe(0)
  await writeFile(
    join(dir, 'old.csv'),
    [
      'employee_id,type,occurred_at,method',
      'D001,in,2026-03-02T09:20:00+01:00,badge', // Monday: 20 min late
      'D001,out,2026-03-02T18:00:00+01:00,badge',
      'D001,in,2026-03-03T08:55:00+01:00,badge', // Tuesday: never checked out
      'N001,in,2026-03-02T21:55:00+01:00,badge', // Monday night, out Tuesday morning
      'N001,out,2026-03-03T06:05:00+01:00,badge',
    ].join('\n'),
  )
  const imported = runCli(env, 'punches', 'import', join(dir, 'old.csv'), '--no-upload')
  expect(imported.code, imported.err).toBe(0)
}, 120_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('cli report attendance', () => {
  it('writes one CSV row per person per working day with the issue’s columns', async () => {
    const out = join(dir, 'march.csv')
    const res = runCli(
      env,
      'report',
      'attendance',
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-05',
      '--out',
      out,
    )
    expect(res.code, res.err).toBe(0)
    expect(res.out).toBe(`Wrote 8 rows for 2 people to ${out}\n`)
    const lines = (await readFile(out, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe(
      'employee_id,employee_name,date,status,first_in,last_out,worked_minutes,late_minutes,early_minutes,missing_checkout,corrections',
    )
    expect(lines.slice(1)).toEqual([
      'D001,Dana Day,2026-03-02,present,09:20,18:00,520,20,0,false,0',
      'D001,Dana Day,2026-03-03,incomplete,08:55,,0,0,0,true,0',
      'D001,Dana Day,2026-03-04,holiday,,,0,0,0,false,0',
      'D001,Dana Day,2026-03-05,absent,,,0,0,0,false,0',
      'N001,Nico Night,2026-03-02,present,21:55,06:05,490,0,0,false,0',
      'N001,Nico Night,2026-03-03,absent,,,0,0,0,false,0',
      'N001,Nico Night,2026-03-04,holiday,,,0,0,0,false,0',
      'N001,Nico Night,2026-03-05,absent,,,0,0,0,false,0',
    ])
  }, 60_000)

  it('writes XLSX with real dates, times and numbers, and a summary per person', async () => {
    const out = join(dir, 'march.xlsx')
    expect(
      runCli(
        env,
        'report',
        'attendance',
        '--from',
        '2026-03-02',
        '--to',
        '2026-03-05',
        '--out',
        out,
      ).code,
    ).toBe(0)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(out)
    const sheet = book.getWorksheet('Attendance')!
    const first = sheet.getRow(2)
    expect(first.getCell(3).value).toEqual(new Date('2026-03-02T00:00:00Z'))
    expect(first.getCell(3).numFmt).toBe('yyyy-mm-dd')
    // A time cell: Excel's day fraction, which exceljs reads back as that time on its epoch day.
    expect(first.getCell(5).value).toEqual(new Date('1899-12-30T09:20:00Z'))
    expect(first.getCell(7).value).toBe(520)
    expect(first.getCell(10).value).toBe(false)

    const summaryFile = join(dir, 'summary.xlsx')
    const res = runCli(
      env,
      'report',
      'attendance',
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-05',
      '--out',
      summaryFile,
      '--summary',
    )
    expect(res.out).toBe(`Wrote 2 rows for 2 people to ${summaryFile}\n`)
    const summary = new ExcelJS.Workbook()
    await summary.xlsx.readFile(summaryFile)
    const rows = summary.getWorksheet('Summary')!.getSheetValues().slice(2) as unknown[][]
    // days present, absent, late count, late minutes, early count, early minutes, missing, worked, rate
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['D001', 'Dana Day', 2, 1, 1, 20, 0, 0, 1, 520, 0.667],
      ['N001', 'Nico Night', 1, 2, 0, 0, 0, 0, 0, 490, 0.333],
    ])
  }, 60_000)

  it('says what is wrong with a bad command line and writes nothing', async () => {
    const bad = [
      [['--from', '2026-03-02', '--to', '2026-03-05'], /--out is needed/],
      [['--from', '2026-02-30', '--to', '2026-03-05', '--out', 'x.csv'], /--from must be a date/],
      [
        ['--from', '2026-03-02', '--to', '2026-03-05', '--out', 'x.pdf'],
        /must end in .csv or .xlsx/,
      ],
      [
        ['--from', '2026-03-05', '--to', '2026-03-02', '--out', join(dir, 'x.csv')],
        /from a date to a later one/,
      ],
    ] as const
    for (const [args, message] of bad) {
      const res = runCli(env, 'report', 'attendance', ...args)
      expect(res.code, args.join(' ')).not.toBe(0)
      expect(res.err).toMatch(message)
    }
  }, 90_000)
})
