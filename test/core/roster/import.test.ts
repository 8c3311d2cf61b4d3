import iconv from 'iconv-lite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeCsv } from '../../../electron/core/csv-encoding'
import { parseRosterCsv, RosterFileError } from '../../../electron/core/roster/import'
import { Roster } from '../../../electron/core/roster/roster'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
beforeEach(async () => {
  t = await openTestKiosk()
})
afterEach(() => t.cleanup())

describe('roster import', () => {
  it('imports people with several badges, hashed PINs and UTF-8 names', () => {
    const report = t.importCsv(sampleRosterCsv)
    expect(report).toMatchObject({ added: 3, updated: 0, rejected: [] })
    const roster = new Roster(t.kiosk.store)
    expect(roster.byBadge('10001-B')).toMatchObject({ id: 'E001', name: '张伟', active: true })
    expect(roster.byBadge('10001')?.schedule).toEqual({ start: '09:00', end: '18:00', days: null })
    expect(roster.byId('E001')?.pinHash).toMatch(/^scrypt\$/)
    expect(roster.byId('E003')?.active).toBe(false)
    expect(roster.byId('E002')?.pinHash).toBeNull()
  })

  it('reports bad rows with line numbers and reasons, and imports the good ones', () => {
    const csv = [
      'id,name,badge,pin,schedule_start',
      'E1,Ann,111,12,', // pin too short
      ',Nobody,112,,', // no id
      'E3,Cy,113,,9am', // bad time
      'E4,Di,"bad badge!",,',
      'E5,Ed,115,,08:30',
      'E6,Fay,115,,', // badge taken on an earlier line
      'E5,Ed again,116,,', // repeated id
      'E8,Gus,117', // wrong field count
    ].join('\n')
    const report = t.importCsv(csv)
    expect(report.added).toBe(1)
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 7, 8, 9])
    expect(report.rejected[0]!.reason).toMatch(/pin must be 4 to 8 digits/)
    expect(report.rejected[2]!.reason).toMatch(/schedule_start must be HH:MM/)
    expect(report.rejected[6]!.reason).toMatch(/expected 5 fields/)
    expect(new Roster(t.kiosk.store).byBadge('115')?.id).toBe('E5')
  })

  it('updates on re-import instead of duplicating, keeping a PIN the file leaves empty', () => {
    t.importCsv(sampleRosterCsv)
    const pinBefore = new Roster(t.kiosk.store).byId('E001')!.pinHash
    const report = t.importCsv(
      'id,name,badge,active\nE001,张伟 (Zhang Wei),20001,1\nE004,Dee,10004,1',
    )
    expect(report).toMatchObject({ added: 1, updated: 1 })
    const roster = new Roster(t.kiosk.store)
    expect(roster.count()).toEqual({ active: 3, inactive: 1 })
    expect(roster.byId('E001')).toMatchObject({ name: '张伟 (Zhang Wei)', pinHash: pinBefore })
    expect(roster.byBadge('10001')).toBeUndefined()
    expect(roster.byBadge('20001')?.id).toBe('E001')
  })

  it("refuses a badge that stays someone else's, but lets a badge move between re-imported people", () => {
    t.importCsv(sampleRosterCsv)
    const taken = t.importCsv('id,name,badge\nE009,New,10002')
    expect(taken.rejected[0]!.reason).toMatch(/already belongs to someone else/)
    const moved = t.importCsv('id,name,badge\nE009,New,10002\nE002,Alice Martin,30002')
    expect(moved.rejected).toEqual([])
    expect(new Roster(t.kiosk.store).byBadge('10002')?.id).toBe('E009')
  })

  it('reads an optional role column: staff, supervisor or admin in any case, empty is staff', () => {
    const csv = [
      'id,name,badge,role',
      'E1,Ann,111,supervisor',
      'E2,Bo,112,Admin',
      'E3,Cy,113,',
      'E4,Di,114,boss',
      'E5,Ed,115, STAFF ',
    ].join('\n')
    const report = t.importCsv(csv)
    expect(report).toMatchObject({ added: 4, ignoredColumns: [] })
    expect(report.rejected).toEqual([
      { line: 5, reason: 'role must be staff, supervisor or admin (empty is staff), got "boss"' },
    ])
    const roster = new Roster(t.kiosk.store)
    expect(['E1', 'E2', 'E3', 'E4', 'E5'].map((id) => roster.byId(id)?.role)).toEqual([
      'supervisor',
      'admin',
      'staff',
      undefined,
      'staff',
    ])
  })

  it('keeps stored roles when a re-import has no role column, and applies one that has', () => {
    t.importCsv('id,name,badge,role\nE1,Ann,111,supervisor\nE2,Bo,112,admin')
    t.importCsv('id,name,badge\nE1,Ann Lee,111\nE3,Cy,113')
    const roster = new Roster(t.kiosk.store)
    expect([roster.byId('E1')?.role, roster.byId('E3')?.role]).toEqual(['supervisor', 'staff'])
    t.importCsv('id,name,badge,role\nE1,Ann Lee,111,\nE2,Bo,112,supervisor')
    expect([roster.byId('E1')?.role, roster.byId('E2')?.role]).toEqual(['staff', 'supervisor'])
  })

  it('survives a restart', async () => {
    t.importCsv(sampleRosterCsv)
    await t.reopen()
    expect(new Roster(t.kiosk.store).byBadge('10003')?.name).toBe('Bob Stone')
  })

  it('refuses a file without the required columns, or with an open quote', () => {
    expect(() => parseRosterCsv('id,name\n1,a')).toThrow(RosterFileError)
    expect(() => parseRosterCsv('id,name\n1,a')).toThrow(/lacks badge/)
    expect(() => parseRosterCsv('')).toThrow(/empty/)
    expect(() => parseRosterCsv('id,name,badge\n1,"a,2')).toThrow(/line 2/)
  })

  it('searches active people by name or id, case-insensitively, treating % literally', () => {
    t.importCsv(sampleRosterCsv)
    const roster = new Roster(t.kiosk.store)
    expect(roster.search('ali')).toEqual([{ id: 'E002', name: 'Alice Martin' }])
    expect(roster.search('张')).toEqual([{ id: 'E001', name: '张伟' }])
    expect(roster.search('e00').map((e) => e.id)).toEqual(['E002', 'E001'])
    expect(roster.search('bob')).toEqual([])
    expect(roster.search('%')).toEqual([])
  })

  it('imports a GBK roster saved by Excel on Chinese Windows with the names exactly right', () => {
    t.importCsv(sampleRosterCsv)
    const csv =
      'id,name,badge\r\nE001,张伟,10001\r\nE002,李小红,10002\r\nE003,王芳,10003\r\nE004,Alice Martin,10004\r\n'
    const report = t.importCsv(decodeCsv(iconv.encode(csv, 'gbk'), 'roster.csv').text)
    expect(report).toMatchObject({ added: 1, updated: 3, rejected: [] })
    const roster = new Roster(t.kiosk.store)
    expect(['E001', 'E002', 'E003', 'E004'].map((id) => roster.byId(id)?.name)).toEqual([
      '张伟',
      '李小红',
      '王芳',
      'Alice Martin',
    ])
  })

  it('imports Excel "Unicode text": UTF-16LE with BOM, TAB-separated', () => {
    const text = 'id\tname\tbadge\r\nE001\t张伟\t10001\r\nE002\t"Martin, Alice"\t10002\r\n'
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
    expect(t.importCsv(decodeCsv(bytes, 'roster.txt').text)).toMatchObject({
      added: 2,
      rejected: [],
    })
    const roster = new Roster(t.kiosk.store)
    expect(roster.byBadge('10001')?.name).toBe('张伟')
    expect(roster.byBadge('10002')?.name).toBe('Martin, Alice')
  })

  it('reads back a name that an export defused, without its quote', () => {
    const report = t.importCsv(
      `id,name,badge\nE1,"'=HYPERLINK(""x"")",1\nE2,'-1+cmd,2\nE3,O'Brien,3`,
    )
    expect(report.rejected).toEqual([])
    const roster = new Roster(t.kiosk.store)
    expect(roster.byId('E1')?.name).toBe('=HYPERLINK("x")')
    expect(roster.byId('E2')?.name).toBe('-1+cmd')
    expect(roster.byId('E3')?.name).toBe("O'Brien")
  })
})
