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

/** The delimiter the header row uses: TAB in Excel's "Unicode text", else a comma. */
export function headerDelimiter(text: string): ',' | '\t' {
  const header =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r\n|\r|\n/)
      .find((line) => line !== '') ?? ''
  return header.includes('\t') && !header.includes(',') ? '\t' : ','
}

/** Splits CSV text into records; blank lines are skipped. Throws CsvError on an open quote. */
export function parseCsv(text: string, delimiter: ',' | '\t' = ','): CsvRecord[] {
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
    } else if (ch === delimiter) {
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
      const text =
        typeof value === 'string' ? defuseFormula(value) : value === null ? '' : String(value)
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
    })
    .join(',')
}

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"),
// and a leading TAB, CR or LF is skipped before they look. The fullwidth forms are in because
// CJK input methods produce them and spreadsheets may normalise them to the ASCII ones.
const formulaStart = /^[=+\-@\t\r\n＝＋－＠]/
const plainNumber = /^-?\d+(\.\d+)?$/

/** TEXT with a leading ' if a spreadsheet would run it as a formula; plain numbers stay. */
export function defuseFormula(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text
}

/** Undoes `defuseFormula`: a ' before what would be a formula is dropped, nothing else. */
export function restoreDefused(text: string): string {
  return text.startsWith("'") && defuseFormula(text.slice(1)) === text ? text.slice(1) : text
}
