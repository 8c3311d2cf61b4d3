import { describe, expect, it } from 'vitest'
import { CsvError, formatCsvRow, parseCsv } from '../../electron/core/csv'

describe('csv', () => {
  it('reads quoted fields, doubled quotes, CRLF, a BOM and line breaks inside quotes', () => {
    const records = parseCsv('\uFEFFid,name\r\n1,"Martin, ""Al"""\r\n\r\n2,"two\nlines"\n')
    expect(records).toEqual([
      { line: 1, fields: ['id', 'name'] },
      { line: 2, fields: ['1', 'Martin, "Al"'] },
      { line: 4, fields: ['2', 'two\nlines'] },
    ])
  })

  it('keeps UTF-8 names', () => {
    expect(parseCsv('张伟,李娜')[0]!.fields).toEqual(['张伟', '李娜'])
  })

  it('fails with the line of an unclosed quote', () => {
    expect(() => parseCsv('a\n"b\nc')).toThrow(CsvError)
    expect(() => parseCsv('a\n"b\nc')).toThrow(/line 2/)
  })

  it('writes fields that need quoting, and defuses spreadsheet formulas', () => {
    expect(formatCsvRow(['a', 'b,c', 'say "hi"', null, 3, true])).toBe(
      'a,"b,c","say ""hi""",,3,true',
    )
    expect(formatCsvRow(['=HYPERLINK("x")'])).toBe(`"'=HYPERLINK(""x"")"`)
  })
})
