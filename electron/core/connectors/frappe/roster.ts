/** Frappe's Employee list (`GET /api/resource/Employee`) as kiosk roster entries. */
import { parseOrThrow, reply, SchemaError, z } from '../../../shared/schema'
import type { CrmEmployee } from '../../sync/crm-types'
import { CrmError } from '../http'

const cell = z.optional(z.nullable(z.union([z.string(), z.number()])))
const pageSchema = reply({
  data: z.array(z.record(z.string(), z.unknown()), { error: 'a list of employees' }),
})
const employeeSchema = reply({
  name: z.string({ error: 'a string' }),
  employee_name: cell,
  status: cell,
  modified: cell,
})

export interface FrappeRosterPage {
  employees: CrmEmployee[]
  /** Rows Frappe sent, those without a kiosk id included (paging counts them). */
  rows: number
  /** The latest `modified` on the page, where the next pass starts. */
  lastModified: string | undefined
}

/**
 * The page's employees keyed by `field`; those with nothing in it cannot punch and are left
 * out. Only status "Active" is active on the kiosk (Inactive, Suspended and Left are not).
 */
export function readRosterPage(
  body: unknown,
  fields: { employee: string; badge: string | null },
  name: string,
): FrappeRosterPage {
  try {
    const { data } = parseOrThrow(pageSchema, body, 'body')
    const employees: CrmEmployee[] = []
    let lastModified: string | undefined
    data.forEach((row, i) => {
      const e = parseOrThrow(employeeSchema, row, `body.data[${i}]`)
      const kioskId = cellText(row[fields.employee])
      const badge = fields.badge ? cellText(row[fields.badge]) : ''
      if (typeof e.modified === 'string' && (!lastModified || e.modified > lastModified)) {
        lastModified = e.modified
      }
      if (!kioskId) return
      employees.push({
        id: kioskId,
        name: typeof e.employee_name === 'string' && e.employee_name ? e.employee_name : e.name,
        active: e.status === 'Active',
        ...(fields.badge ? { badges: badge ? [badge] : [] } : {}),
      })
    })
    return { employees, rows: data.length, lastModified }
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error
    throw new CrmError('malformed', `unexpected reply from ${name}: ${error.message}`)
  }
}

function cellText(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
}
