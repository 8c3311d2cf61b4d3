/** RFC 4180 CSV, as spreadsheets write it: quoted fields, doubled quotes, CRLF or LF, a BOM. */

export interface CsvRecord {
  /** 1-based line number where the record starts, as a spreadsheet would show it. */
  line: number
  fields: string[]
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'CsvError'
  }
}

/** Splits CSV text into records; blank lines are skipped. Throws CsvError on an open quote. */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.replace(/^\uFEFF/, '')
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let quoted = false
  let fieldStarted = false
  const endRecord = () => {
    fields.push(field)
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields })
    fields = []
    field = ''
    fieldStarted = false
  }
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"'
          i++
        } else {
          quoted = false
        }
      } else {
        if (ch === '\n') line++
        field += ch
      }
      continue
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true
      fieldStarted = true
    } else if (ch === ',') {
      fields.push(field)
      field = ''
      fieldStarted = false
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++
      endRecord()
      line++
      recordLine = line
    } else {
      field += ch
      fieldStarted = true
    }
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is never closed')
  if (field !== '' || fields.length > 0) endRecord()
  return records
}

/** One CSV line (without line ending); fields with commas, quotes or line breaks are quoted. */
export function formatCsvRow(fields: readonly (string | number | boolean | null)[]): string {
  return fields
    .map((value) => {
      const text = value === null ? '' : String(value)
      return /[",\r\n]/.test(text) || /^[=+\-@\t]/.test(text) ? quote(text) : text
    })
    .join(',')
}

function quote(text: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet; a quote-prefixed ' defuses it.
  const safe = /^[=+\-@\t]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}
