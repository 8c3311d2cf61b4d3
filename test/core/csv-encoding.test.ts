import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { CsvEncodingError, decodeCsv } from '../../electron/core/csv-encoding'

const roster = [
  'id,name,badge',
  'E001,张伟,10001',
  'E002,李小红,10002',
  'E003,王芳,10003',
  'E004,Alice Martin,10004',
  'E005,欧阳明,10005',
  '',
].join('\r\n')
const bom = (bytes: number[], body: Buffer) => Buffer.concat([Buffer.from(bytes), body])

describe('CSV encoding', () => {
  it('reads a GBK roster as Excel on Chinese Windows saves it', () => {
    expect(decodeCsv(iconv.encode(roster, 'gbk'), 'roster.csv')).toEqual({
      text: roster,
      encoding: 'GB18030',
    })
  })

  it('reads UTF-8 with or without BOM, and UTF-16 by BOM or by its NUL bytes', () => {
    const utf8 = Buffer.from(roster, 'utf8')
    expect(decodeCsv(utf8, 'a.csv')).toEqual({ text: roster, encoding: 'UTF-8' })
    expect(decodeCsv(bom([0xef, 0xbb, 0xbf], utf8), 'a.csv').text).toBe(roster)
    const tabbed = roster.replace(/,/g, '\t')
    const le = iconv.encode(tabbed, 'utf-16le')
    expect(decodeCsv(bom([0xff, 0xfe], le), 'a.txt')).toEqual({
      text: tabbed,
      encoding: 'UTF-16LE',
    })
    expect(decodeCsv(le, 'a.txt')).toEqual({ text: tabbed, encoding: 'UTF-16LE' })
    const be = iconv.encode(tabbed, 'utf-16be')
    expect(decodeCsv(bom([0xfe, 0xff], be), 'a.txt')).toEqual({
      text: tabbed,
      encoding: 'UTF-16BE',
    })
    expect(decodeCsv(be, 'a.txt').text).toBe(tabbed)
  })

  it('refuses Windows-1252 accented names rather than reading them as Chinese', () => {
    const names = 'id,name,badge\r\nE1,Hélène,1\r\nE2,José Müller,2\r\nE3,Françoise Çelik,3\r\n'
    const bytes = iconv.encode(names, 'windows-1252')
    expect(iconv.decode(bytes, 'gb18030')).toContain('H閘鑞e') // what a blind GBK read gives
    expect(() => decodeCsv(bytes, 'staff.csv')).toThrow(CsvEncodingError)
    expect(() => decodeCsv(bytes, 'staff.csv')).toThrow(/staff\.csv .*CSV UTF-8.*--encoding/)
    expect(decodeCsv(bytes, 'staff.csv', 'windows-1252').text).toBe(names)
    const oneName = iconv.encode('id,name,badge\nE1,Hélène,1\n', 'windows-1252')
    expect(() => decodeCsv(oneName, 'one.csv')).toThrow(/one\.csv is not UTF-8/)
  })

  it('refuses Cyrillic, Arabic and Korean text that pairs up into plausible Chinese', () => {
    const samples: [string, string][] = [
      ['windows-1251', 'Иван Петров,Анна Смирнова,Олег Попов'],
      ['windows-1256', 'باسم المنيف,حافظ القلال'],
      ['cp949', '편성현,감나린,갈주안,이채린'],
    ]
    for (const [encoding, names] of samples) {
      const bytes = iconv.encode(`id,name\r\n${names}\r\n`, encoding)
      expect(() => decodeCsv(bytes, 'x.csv'), encoding).toThrow(CsvEncodingError)
      expect(decodeCsv(bytes, 'x.csv', encoding).text).toContain(names)
    }
  })

  it('never takes short GBK that happens to be valid UTF-8 for UTF-8', () => {
    const fourHan = iconv.encode('id,name,badge\nE1,司徒一诺,1\n', 'gbk')
    expect(new TextDecoder('utf-8', { fatal: true }).decode(fourHan)).toContain('˾ͽһŵ')
    expect(decodeCsv(fourHan, 'x.csv')).toMatchObject({ encoding: 'GB18030' })
    expect(decodeCsv(fourHan, 'x.csv').text).toContain('E1,司徒一诺,1')
    const twoHan = iconv.encode('id,name,badge\nE1,鲁萍,1\n', 'gbk')
    expect(new TextDecoder('utf-8', { fatal: true }).decode(twoHan)).toContain('³Ƽ')
    expect(() => decodeCsv(twoHan, 'x.csv')).toThrow(/too little/)
    expect(decodeCsv(twoHan, 'x.csv', 'gb18030').text).toContain('鲁萍')
  })

  it('refuses text already garbled by an earlier conversion, bytes that are not text, and a wrong --encoding', () => {
    expect(() => decodeCsv(Buffer.from('id,name\n1,ŷ��С��\n'), 'x.csv')).toThrow(/damaged/)
    const gbkOfGarbage = iconv.encode('id,name\n1,欧锟斤拷小锟斤拷\n', 'gbk')
    expect(() => decodeCsv(gbkOfGarbage, 'x.csv')).toThrow(/damaged/)
    expect(() => decodeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x00, 0x00, 0x00]), 'x.xlsx')).toThrow(
      /NUL bytes/,
    )
    const gbk = iconv.encode(roster, 'gbk')
    expect(() => decodeCsv(gbk, 'x.csv', 'utf-8')).toThrow(/not valid utf-8/)
    expect(() => decodeCsv(gbk, 'x.csv', 'klingon')).toThrow(/unknown encoding "klingon"/)
    const utf8Bom = bom([0xef, 0xbb, 0xbf], Buffer.from(roster))
    expect(() => decodeCsv(utf8Bom, 'x.csv', 'gb18030')).toThrow(/UTF-8 byte-order mark/)
    expect(decodeCsv(utf8Bom, 'x.csv', 'utf8').text).toBe(roster)
  })
})
