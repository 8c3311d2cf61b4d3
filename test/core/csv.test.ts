import { describe, expect, it } from 'vitest'
import {
  CsvError,
  formatCsvRow,
  headerDelimiter,
  parseCsv,
  restoreDefused,
} from '../../electron/core/csv'

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

  it('defuses every text cell a spreadsheet would run as a formula, but not plain numbers', () => {
    const payloads = [
      `-1+cmd|' /C calc'!A0`,
      '\r=1+1',
      '\n=1+1',
      '\t=1+1',
      '=HYPERLINK("http://x")',
      '+1+1',
      '@SUM(A1)',
      '－1+1',
      '＝1+1',
      '＋1',
      '＠SUM(A1)',
      '-',
    ]
    for (const payload of payloads) {
      const cell = formatCsvRow([payload])
      const [read] = parseCsv(`${cell}\n`)[0]!.fields
      expect(read, JSON.stringify(payload)).toBe(`'${payload}`)
      expect(restoreDefused(read!)).toBe(payload)
    }
    expect(formatCsvRow([`-1+cmd|' /C calc'!A0`])).toBe(`'-1+cmd|' /C calc'!A0`)
    expect(formatCsvRow(['-3', '12.5', -3, '0042', '-0.5', 'E001', "O'Brien"])).toBe(
      `-3,12.5,-3,0042,-0.5,E001,O'Brien`,
    )
    expect(restoreDefused("'-3")).toBe("'-3")
    expect(restoreDefused("O'Brien")).toBe("O'Brien")
  })

  it('reads TAB-separated text (Excel "Unicode text") when the header row is', () => {
    const text = 'id\tname\tbadge\r\nE1\t"Martin, Al"\t1\r\n'
    expect(headerDelimiter(text)).toBe('\t')
    expect(parseCsv(text, headerDelimiter(text))[1]!.fields).toEqual(['E1', 'Martin, Al', '1'])
    expect(headerDelimiter('\n\nid,name\tx\n')).toBe(',')
  })
})
