/**
 * Punches from a previous time clock, in the columns the export writes. Good rows are imported
 * in one durable commit, bad rows are reported by line, and re-importing a file changes nothing:
 * a punch is known by its id (given, or derived from who, which way and when).
 */
import { createHash } from 'node:crypto'
import { CsvError, headerDelimiter, parseCsv, restoreDefused } from '../csv'
import { auditEntry } from '../audit/audit'
import type { Config } from '../config/config'
import { Roster, type Employee } from '../roster/roster'
import type { Statement, Store } from '../store/types'
import { exportColumns } from './export'
import { punchFlags } from './rules'
import { siteCalendar, weekFrom, workingDayOf } from './shifts'
import { zonedParts } from './zoned-time'

export interface PunchImportReport {
  imported: number
  /** Rows whose id the kiosk already holds with the same content. */
  alreadyStored: number
  rejected: { line: number; reason: string }[]
  /** Header columns that are neither read nor derived by the kiosk. */
  ignoredColumns: string[]
  /** Whether the imported punches entered the upload queue. */
  queued: boolean
}

export interface PunchImportOptions {
  now: number
  /** Put imported punches in the upload queue (the CRM deduplicates by id). */
  upload: boolean
  /** Named in the audit entry. */
  file: string
  actor: string
}

/** The file as a whole cannot be read as punches; nothing was imported. */
export class PunchFileError extends Error {
  override name = 'PunchFileError'
}

export const importMethods = ['face', 'badge', 'pin', 'manual', 'auto'] as const

const required = ['employee_id', 'type', 'occurred_at', 'method'] as const
const known = new Set<string>(exportColumns)
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Fixed, so the same row always derives the same id (RFC 9562 name-based UUID, version 5).
const idNamespace = Buffer.from('5f0c3c1e6a7d4d5e9b2f0c8a1e4d7b36', 'hex')

interface ImportedPunch {
  line: number
  id: string
  employee: Employee
  type: 'in' | 'out'
  occurredAt: number
  method: (typeof importMethods)[number]
  derived: ReturnType<typeof derivedFields>
}

interface StoredPunch {
  employee_id: string
  type: string
  occurred_at: number
  method: string
}

/** Most data rows one file may hold: all of them go into one journal record. */
export const maxImportRows = 200_000
// Rows checked between yields, so a running kiosk keeps answering the door during an import.
const rowsPerTurn = 500
// Rows per INSERT: one statement text in the journal for many rows (12 parameters each).
const rowsPerInsert = 200

/**
 * Imports the good rows of a punch CSV in one durable commit and reports the rest. Checking
 * yields to the event loop now and then; the commit itself is one step.
 */
export async function importPunches(
  store: Store,
  config: Config,
  text: string,
  options: PunchImportOptions,
): Promise<PunchImportReport> {
  const { records, columns } = readHeader(text)
  if (records.length > maxImportRows) {
    throw new PunchFileError(
      `punches: the file holds ${records.length} rows, more than ${maxImportRows} in one import; ` +
        'split it (by date, say) and import the parts one after another',
    )
  }
  const roster = cachedRoster(new Roster(store))
  const rejected: PunchImportReport['rejected'] = []
  const seen = new Map<string, number>()
  const fresh: ImportedPunch[] = []
  let alreadyStored = 0
  for (const [index, record] of records.entries()) {
    if (index % rowsPerTurn === rowsPerTurn - 1)
      await new Promise((resolve) => setImmediate(resolve))
    if (record.fields.length !== columns.length) {
      const reason = `expected ${columns.length} fields as in the header, found ${record.fields.length}`
      rejected.push({ line: record.line, reason })
      continue
    }
    const cell = (name: string) =>
      restoreDefused((record.fields[columns.indexOf(name)] ?? '').trim())
    const punch = checkRow(cell, roster, options.now)
    if (typeof punch === 'string') {
      rejected.push({ line: record.line, reason: punch })
      continue
    }
    const earlier = seen.get(punch.id)
    if (earlier !== undefined) {
      rejected.push({ line: record.line, reason: `id ${punch.id} is on line ${earlier} too` })
      continue
    }
    seen.set(punch.id, record.line)
    const stored = store.get<StoredPunch>(
      `SELECT employee_id, type, occurred_at, method FROM punches WHERE id = ?`,
      [punch.id],
    )
    if (!stored) {
      const derived = derivedFields(punch.employee, punch.type, punch.occurredAt, config)
      fresh.push({ ...punch, line: record.line, derived })
    } else if (sameContent(stored, punch)) alreadyStored++
    else rejected.push({ line: record.line, reason: differs(punch.id, stored) })
  }
  const statements = insertPunches(fresh, config, options)
  statements.push(
    auditEntry(options.now, options.actor, 'punches.import', null, {
      file: options.file,
      imported: fresh.length,
      alreadyStored,
      rejected: rejected.length,
      queued: options.upload,
    }),
  )
  store.commit(statements)
  rejected.sort((a, b) => a.line - b.line)
  return {
    imported: fresh.length,
    alreadyStored,
    rejected,
    ignoredColumns: columns.filter((c) => !known.has(c)),
    queued: options.upload && fresh.length > 0,
  }
}

/**
 * What the kiosk derives itself for a punch: its site day and its late/early flags, from the
 * kiosk's zone and the person's schedule. The one place imports apply the attendance rules.
 */
export function derivedFields(
  employee: Employee,
  type: 'in' | 'out',
  occurredAt: number,
  config: Config,
): { localDate: string; offsetMinutes: number; late: boolean; early: boolean } {
  const { lateGraceMinutes, earlyGraceMinutes } = config.attendance
  const week = weekFrom(employee.schedule)
  const flags = punchFlags(type, occurredAt, week, siteCalendar(config), {
    lateMinutes: lateGraceMinutes,
    earlyMinutes: earlyGraceMinutes,
  })
  return {
    localDate: workingDayOf(occurredAt, week, config.timeZone),
    offsetMinutes: zonedParts(occurredAt, config.timeZone).offsetMinutes,
    ...flags,
  }
}

/** The id a row without one gets: the same for the same person, direction and instant. */
export function derivedPunchId(employeeId: string, type: string, occurredAt: number): string {
  const name = `${employeeId}\n${type}\n${new Date(occurredAt).toISOString()}`
  const bytes = createHash('sha1').update(idNamespace).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/

/** An RFC 3339 time with its offset, as ms since the epoch; else why it is not one. */
export function parseOccurredAt(text: string): number | string {
  const m = rfc3339.exec(text)
  if (!m)
    return `occurred_at must be an RFC 3339 time like 2026-03-02T09:00:00+08:00, got "${text}"`
  if (!m[8] && !m[9])
    return `occurred_at "${text}" has no UTC offset: add it (${text}+08:00, say, or Z)`
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as number[]
  const wall = Date.UTC(
    y!,
    mo! - 1,
    d!,
    h!,
    mi!,
    sec!,
    Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)),
  )
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]))
  // A day, hour or second out of range rolls over in Date.UTC, so it does not read back the same.
  const same =
    new Date(wall).toISOString().slice(0, 19) ===
    `${m.slice(1, 4).join('-')}T${m.slice(4, 7).join(':')}`
  if (!same || Number(m[10] ?? 0) > 23 || Number(m[11] ?? 0) > 59) {
    return `occurred_at "${text}" is not a real date and time`
  }
  return wall - offset * 60_000
}

function readHeader(text: string) {
  let records
  try {
    records = parseCsv(text, headerDelimiter(text))
  } catch (error) {
    if (error instanceof CsvError) throw new PunchFileError(`punches: ${error.message}`)
    throw error
  }
  const header = records.shift()
  if (!header) {
    throw new PunchFileError(
      `punches: the file is empty; expected a header row ${required.join(',')}`,
    )
  }
  const columns = header.fields.map((f) => f.trim().toLowerCase())
  const missing = required.filter((c) => !columns.includes(c))
  if (missing.length > 0) {
    throw new PunchFileError(
      `punches: the header row lacks ${missing.join(', ')}; it must name ${required.join(', ')}`,
    )
  }
  return { records, columns }
}

function cachedRoster(roster: Roster): (id: string) => Employee | undefined {
  const known = new Map<string, Employee | undefined>()
  return (id) => {
    if (!known.has(id)) known.set(id, roster.byId(id))
    return known.get(id)
  }
}

function checkRow(
  cell: (name: string) => string,
  employeeById: (id: string) => Employee | undefined,
  now: number,
): Omit<ImportedPunch, 'line' | 'derived'> | string {
  const employeeId = cell('employee_id')
  const employee = employeeId ? employeeById(employeeId) : undefined
  if (!employee) return `unknown employee "${employeeId}" (import the roster first)`
  const type = cell('type').toLowerCase()
  if (type !== 'in' && type !== 'out') return `type must be "in" or "out", got "${cell('type')}"`
  const time = parseOccurredAt(cell('occurred_at'))
  if (typeof time === 'string') return time
  if (time > now) return `occurred_at ${cell('occurred_at')} is in the future`
  const method = cell('method').toLowerCase() as ImportedPunch['method']
  if (!importMethods.includes(method)) {
    return `method must be one of ${importMethods.join(', ')}, got "${cell('method')}"`
  }
  const givenId = cell('id').toLowerCase()
  if (givenId && !uuidPattern.test(givenId)) return `id must be a UUID, got "${cell('id')}"`
  const id = givenId || derivedPunchId(employee.id, type, time)
  return { id, employee, type, occurredAt: time, method }
}

// The export writes whole seconds, so a punch read back is the same punch to the second.
function sameContent(stored: StoredPunch, punch: Omit<ImportedPunch, 'line' | 'derived'>): boolean {
  return (
    stored.employee_id === punch.employee.id &&
    stored.type === punch.type &&
    stored.method === punch.method &&
    Math.floor(stored.occurred_at / 1000) === Math.floor(punch.occurredAt / 1000)
  )
}

function differs(id: string, stored: StoredPunch): string {
  const when = new Date(stored.occurred_at).toISOString()
  return (
    `id ${id} is already stored for a different punch ` +
    `(${stored.employee_id}, ${stored.type} at ${when}, ${stored.method})`
  )
}

function insertPunches(
  punches: ImportedPunch[],
  config: Config,
  options: PunchImportOptions,
): Statement[] {
  const statements: Statement[] = []
  for (let i = 0; i < punches.length; i += rowsPerInsert) {
    const batch = punches.slice(i, i + rowsPerInsert)
    // Nothing is known of the old clock's accuracy: clock_trusted stays 0, the offset unknown.
    statements.push([
      `INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
         utc_offset_min, time_zone, local_date, site_id, late, early)
       VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap((p) => {
        const { derived } = p
        return [
          p.id,
          p.employee.id,
          p.employee.name,
          p.type,
          p.method,
          p.occurredAt,
          derived.offsetMinutes,
          config.timeZone,
          derived.localDate,
          config.site.id,
          derived.late ? 1 : 0,
          derived.early ? 1 : 0,
        ]
      }),
    ])
    if (options.upload) {
      statements.push([
        `INSERT INTO outbox (punch_id, enqueued_at) VALUES ${batch.map(() => '(?, ?)').join(', ')}`,
        batch.flatMap((p) => [p.id, options.now]),
      ])
    }
  }
  return statements
}
