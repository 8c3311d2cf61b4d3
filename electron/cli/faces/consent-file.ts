/**
 * The consent file of a bulk enrolment: one row per person (employee_id, date, method), read
 * like a roster file (UTF-8, UTF-16 or GBK from Excel; RFC 4180). A bad row is reported by line
 * and its person is not enrolled; a file that cannot be read as a whole stops the run.
 */
import { zonedParts, zonedToInstant, parseLocalDate } from '../../core/attendance/zoned-time'
import { CsvError, headerDelimiter, parseCsv, restoreDefused } from '../../core/csv'
import { readCsvFile } from '../../core/csv-encoding'
import type { ConsentMethod } from '../../core/faces/face-data'
import type { Employee } from '../../core/roster/roster'
import { consentMethods, FacesUsageError } from './commands'

export interface ConsentRow {
  line: number
  employeeId: string
  /** The day consent was given, YYYY-MM-DD, as written. */
  date: string
  method: ConsentMethod
  /** Start of that day in the site's time zone (ms): retention counts from here. */
  signedAt: number
}

export interface ConsentFile {
  encoding: string
  consents: Map<string, ConsentRow>
  rejected: { line: number; employeeId: string; reason: string }[]
  ignoredColumns: string[]
}

export interface ConsentLimits {
  /** The roster as it stands: consent is taken only for active people. */
  employee: (id: string) => Employee | undefined
  timeZone: string
  retentionDays: number
  now: number
}

/** A consent file that cannot be read at all; nothing was enrolled. */
export class ConsentFileError extends FacesUsageError {
  override name = 'ConsentFileError'
}

const required = ['employee_id', 'date', 'method'] as const
// A name column helps whoever keeps the file; the roster, not this file, says who is who.
const optional = ['name'] as const
const dayMs = 86_400_000

/** Reads and checks FILE; throws ConsentFileError (or CsvEncodingError) if it is unusable. */
export function readConsentFile(
  file: string,
  limits: ConsentLimits,
  encoding?: string,
): ConsentFile {
  let decoded
  try {
    decoded = readCsvFile(file, encoding)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      throw new ConsentFileError(`consent file ${file} cannot be read (${code})`)
    }
    throw error
  }
  return { encoding: decoded.encoding, ...parseConsentCsv(decoded.text, file, limits) }
}

/** Checks consent CSV text row by row; throws ConsentFileError when the header is unusable. */
export function parseConsentCsv(
  text: string,
  file: string,
  limits: ConsentLimits,
): Omit<ConsentFile, 'encoding'> {
  let records
  try {
    records = parseCsv(text, headerDelimiter(text))
  } catch (error) {
    if (error instanceof CsvError) throw new ConsentFileError(`${file}: ${error.message}`)
    throw error
  }
  const header = records.shift()
  const columns = header?.fields.map((f) => f.trim().toLowerCase()) ?? []
  const missing = required.filter((c) => !columns.includes(c))
  if (missing.length > 0) {
    throw new ConsentFileError(
      `${file}: the header row ${header ? `lacks ${missing.join(', ')}` : 'is missing'}; ` +
        'it must name employee_id, date and method',
    )
  }
  const cellOf = (fields: string[], name: string) =>
    restoreDefused((fields[columns.indexOf(name)] ?? '').trim())
  const lines = new Map<string, number[]>()
  for (const r of records) {
    const id = cellOf(r.fields, 'employee_id')
    if (id) lines.set(id, [...(lines.get(id) ?? []), r.line])
  }
  const consents = new Map<string, ConsentRow>()
  const rejected: ConsentFile['rejected'] = []
  for (const record of records) {
    const cell = (name: string) => cellOf(record.fields, name)
    const employeeId = cell('employee_id')
    const reason =
      record.fields.length !== columns.length
        ? `expected ${columns.length} fields as in the header, found ${record.fields.length}`
        : (lines.get(employeeId)?.length ?? 0) > 1
          ? `${employeeId} has consent on lines ${lines.get(employeeId)!.join(', ')}: keep one`
          : checkRow(employeeId, cell('date'), cell('method'), limits)
    if (typeof reason === 'string') rejected.push({ line: record.line, employeeId, reason })
    else consents.set(employeeId, { line: record.line, employeeId, ...reason })
  }
  const known = new Set<string>([...required, ...optional])
  return { consents, rejected, ignoredColumns: columns.filter((c) => !known.has(c)) }
}

function checkRow(
  employeeId: string,
  dateText: string,
  methodText: string,
  limits: ConsentLimits,
): Omit<ConsentRow, 'line' | 'employeeId'> | string {
  if (!employeeId) return 'employee_id is empty'
  const employee = limits.employee(employeeId)
  if (!employee) return `${employeeId} is not in the roster`
  if (!employee.active) return `${employeeId} is inactive in the roster`
  const date = consentDate(dateText)
  if (!date) return `date must be a day as YYYY-MM-DD, got "${dateText}"`
  const today = zonedParts(limits.now, limits.timeZone).date
  if (date > today) return `date ${date} is in the future (today is ${today})`
  const signedAt = zonedToInstant(date, '00:00', limits.timeZone)
  if (signedAt + limits.retentionDays * dayMs <= limits.now) {
    return (
      `consent of ${date} is older than faces.retentionDays (${limits.retentionDays} days): ` +
      'its face data would be erased at once; record consent again'
    )
  }
  const method = methodText.toLowerCase() as ConsentMethod
  if (!consentMethods.includes(method)) {
    return `method must be ${consentMethods.join(', ')}, got "${methodText}"`
  }
  return { date, method, signedAt }
}

// Excel in Chinese and ISO locales writes 2026/3/1 or 2026-3-1; year-first is never ambiguous.
function consentDate(text: string): string | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text)
  if (!m) return undefined
  return parseLocalDate(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`)
}
