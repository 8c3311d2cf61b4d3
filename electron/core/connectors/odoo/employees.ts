/**
 * Who a kiosk employee id is in Odoo: the hr.employee whose `crm.odoo.employeeField` (barcode,
 * pin, or the record id) holds it. Found by one search_read per batch, archived ones included so
 * they are refused by name rather than as unknown. Nothing is remembered across batches: Odoo
 * itself accepts attendances for archived employees, so a stale memory would let them through.
 */
import { CrmError } from '../http'
import type { CrmEmployee, CrmRosterPage } from '../../sync/crm-types'
import { readRows, type OdooCalls } from './calls'
import { fromOdooTime, odooTime } from './odoo-time'
import type { OdooSettings } from './settings'

export type EmployeeField = OdooSettings['employeeField']

/** An hr.employee id, or why the kiosk's id names nobody who may punch. */
export type Resolved = { employee: number } | { refused: string }

interface EmployeeRow {
  id: number
  name: string
  active: boolean
  barcode: string | false
  pin?: string | false
  write_date: string
}

const ROSTER_PAGE = 200
const REREAD_MS = 60_000

export class OdooEmployees {
  constructor(
    private readonly odoo: OdooCalls,
    private readonly field: EmployeeField,
  ) {}

  /** Each kiosk id's hr.employee, looked up together in one call. */
  async resolve(kioskIds: readonly string[]): Promise<Map<string, Resolved>> {
    const answers = new Map<string, Resolved>()
    const wanted: string[] = []
    for (const kioskId of new Set(kioskIds)) {
      if (this.field === 'id' && !/^[1-9]\d{0,17}$/.test(kioskId))
        answers.set(kioskId, { refused: `"${kioskId}" is not an Odoo employee record id` })
      else wanted.push(kioskId)
    }
    if (wanted.length === 0) return answers
    const values = this.field === 'id' ? wanted.map(Number) : wanted
    const answer = await this.odoo.call('hr.employee', 'search_read', {
      domain: [[this.field, 'in', values]],
      fields: ['name', 'active', this.field === 'id' ? 'id' : this.field],
      context: { active_test: false },
    })
    const rows = readRows<EmployeeRow>(answer, 'hr.employee')
    for (const kioskId of wanted) {
      const matches = rowsFor(rows, this.field, kioskId)
      const active = matches.filter((row) => row.active)
      const where = `hr.employee ${this.field} "${kioskId}"`
      if (active.length === 1) {
        answers.set(kioskId, { employee: active[0]!.id })
      } else if (active.length > 1) {
        answers.set(kioskId, { refused: `${active.length} Odoo employees have ${where}` })
      } else if (matches.length > 0) {
        answers.set(kioskId, { refused: `the Odoo employee with ${where} is archived` })
      } else {
        answers.set(kioskId, { refused: `no Odoo employee has ${where}` })
      }
    }
    return answers
  }

  /** One page of hr.employee changed after `cursor` (write_date and id), archived included. */
  async roster(cursor: string | undefined): Promise<CrmRosterPage> {
    const [since, afterId] = readCursor(cursor)
    const fields = [
      'name',
      'active',
      'barcode',
      'write_date',
      ...(this.field === 'pin' ? ['pin'] : []),
    ]
    const answer = await this.odoo.call('hr.employee', 'search_read', {
      domain: since
        ? ['|', ['write_date', '>', since], '&', ['write_date', '=', since], ['id', '>', afterId]]
        : [],
      fields,
      order: 'write_date asc, id asc',
      limit: ROSTER_PAGE,
      context: { active_test: false },
    })
    const rows = readRows<EmployeeRow>(answer, 'hr.employee')
    const last = rows.at(-1)
    if (last && Number.isNaN(fromOdooTime(String(last.write_date)))) {
      throw new CrmError('malformed', 'unexpected reply from Odoo: hr.employee without write_date')
    }
    const hasMore = rows.length === ROSTER_PAGE
    return {
      employees: rows.flatMap((row) => asCrmEmployee(row, this.field)),
      // Within a sync the pages move strictly forward; the last page steps back a little, so a
      // transaction that committed late with an earlier write_date is read on the next sync.
      cursor: !last
        ? (cursor ?? '')
        : hasMore
          ? `${last.write_date}|${last.id}`
          : `${odooTime(fromOdooTime(last.write_date) - REREAD_MS)}|0`,
      hasMore,
    }
  }
}

function rowsFor(rows: EmployeeRow[], field: EmployeeField, kioskId: string): EmployeeRow[] {
  return rows.filter((row) => kioskIdOf(row, field) === kioskId)
}

function kioskIdOf(row: EmployeeRow, field: EmployeeField): string | undefined {
  const value = field === 'id' ? String(row.id) : row[field]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function asCrmEmployee(row: EmployeeRow, field: EmployeeField): CrmEmployee[] {
  const id = kioskIdOf(row, field)
  // Nobody can punch as a person without the mapped value: the kiosk has no id for them.
  if (!id) return []
  const badge = typeof row.barcode === 'string' && row.barcode !== '' ? [row.barcode] : []
  return [{ id, name: row.name, active: row.active, badges: badge }]
}

function readCursor(cursor: string | undefined): [string | undefined, number] {
  const match = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\|(\d+)$/.exec(cursor ?? '')
  return match ? [match[1], Number(match[2])] : [undefined, 0]
}
