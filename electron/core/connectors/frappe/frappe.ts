/**
 * Frappe HR (v14+, or ERPNext before it) as a connector: one Employee Checkin per punch through
 * `add_log_based_on_employee_field`, the staff list from the Employee doctype. Frappe keeps
 * naive wall times in the site's zone and refuses a second log of the same employee, time and
 * log type, which is what makes a replay safe.
 */
import type { CrmPunch } from '../../sync/crm-types'
import {
  onePunchAtATime,
  type Connector,
  type OutgoingPunch,
  type UploadOutcome,
} from '../connector'
import {
  CrmError,
  createHttp,
  readJsonBody,
  safeWords,
  statusError,
  statusKind,
  type CrmErrorKind,
  type HttpCall,
  type HttpOptions,
  type HttpResponse,
} from '../http'
import type { Logger } from '../../logger'
import { readFault } from './replies'
import { readRosterPage } from './roster'
import type { FrappeSettings } from './settings'
import { shiftSync } from './shift-sync'
import { wallTime } from './wall-time'

const NAME = 'Frappe HR'
/** Punches per upload: each is its own call, so a batch is a bounded run of them. */
const MAX_BATCH = 50

/** Frappe's own words for the refusals the kiosk treats specially (employee_checkin.py). */
export const FRAPPE_SAYS = {
  duplicate: /^This employee already has a log with the same timestamp/,
  noEmployee: /^No Employee found for the given employee field value/,
  inactive: /^Transactions cannot be created for an Inactive Employee/,
  noMethod: /^Failed to get method for command/,
} as const

/** What the connector takes of the kiosk's ConnectorContext (connectors/index.ts). */
export interface FrappeContext {
  timeZone: string
  deviceId: string
  timeoutMs: number
  onServerDate?: HttpOptions['onServerDate']
  log: Logger
}

export type FrappeConnectorSettings = FrappeSettings & { apiKey: string; apiSecret: string }

/** The connector for `crm.kind` "frappe", or undefined while its keys are not all set. */
export function frappeFromSettings(
  url: string | null,
  frappe: FrappeSettings,
  context: FrappeContext,
): Connector | undefined {
  const { apiKey, apiSecret } = frappe
  return url && apiKey && apiSecret
    ? frappeConnector(url, { ...frappe, apiKey, apiSecret }, context)
    : undefined
}

/** A connector posting check-ins to one Frappe site with an API key pair. */
export function frappeConnector(
  url: string,
  frappe: FrappeConnectorSettings,
  context: FrappeContext,
): Connector {
  const secrets = [`${frappe.apiKey}:${frappe.apiSecret}`, frappe.apiSecret, frappe.apiKey]
  const http = createHttp({
    baseUrl: new URL(url),
    timeoutMs: context.timeoutMs,
    headers: { Authorization: `token ${frappe.apiKey}:${frappe.apiSecret}` },
    name: NAME,
    ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
  })
  const checkinMethod = `/api/method/${frappe.app}.hr.doctype.employee_checkin.employee_checkin.add_log_based_on_employee_field`

  /** A reply that is not a success, as the CrmError it means. */
  const failure = (res: HttpResponse): CrmError => {
    const fault = readFault(res)
    return statusError(res, NAME, fault.said, kindOf(res, fault.excType), secrets)
  }

  const call = async (request: HttpCall): Promise<unknown> => {
    const res = await http(request)
    if (res.status !== 200) throw failure(res)
    return readJsonBody(res, NAME)
  }

  async function sendPunch({ punch }: OutgoingPunch): Promise<UploadOutcome> {
    const timestamp = wallTime(Date.parse(punch.occurredAt), context.timeZone)
    const refusal = correctionRefusal(punch, timestamp)
    if (refusal) return { id: punch.id, status: 'rejected', reason: refusal }
    const res = await http({
      method: 'POST',
      path: checkinMethod,
      headers: { 'Content-Type': 'application/json' },
      body: {
        employee_field_value: punch.employeeId,
        timestamp,
        device_id: context.deviceId,
        log_type: punch.type === 'in' ? 'IN' : 'OUT',
        employee_fieldname: frappe.employeeField,
        ...(frappe.latitude !== null && frappe.longitude !== null
          ? { latitude: frappe.latitude, longitude: frappe.longitude }
          : {}),
      },
    })
    if (res.status === 200) {
      const body = readJsonBody(res, NAME)
      if (typeof body !== 'object' || body === null || !('message' in body)) {
        throw new CrmError('malformed', `unexpected reply from ${NAME}: no check-in in it`)
      }
      return { id: punch.id, status: 'created' }
    }
    const fault = readFault(res)
    if (res.status === 417 && fault.excType !== '' && !FRAPPE_SAYS.noMethod.test(fault.said)) {
      if (FRAPPE_SAYS.duplicate.test(fault.said)) return { id: punch.id, status: 'duplicate' }
      const reason = safeWords(fault.said, secrets) || `${NAME} refused it (${fault.excType})`
      return { id: punch.id, status: 'rejected', reason }
    }
    throw statusError(res, NAME, fault.said, kindOf(res, fault.excType), secrets)
  }

  return {
    kind: 'frappe',
    name: NAME,
    maxBatch: MAX_BATCH,
    health: () => call({ method: 'GET', path: '/api/method/frappe.auth.get_logged_user' }),
    upload: (batch) => onePunchAtATime(batch, sendPunch),
    ...(frappe.shiftTypes.length > 0
      ? {
          drained: shiftSync({
            http,
            shiftTypes: frappe.shiftTypes,
            timeZone: context.timeZone,
            log: context.log,
            describe: (res) => failure(res).message,
          }),
        }
      : {}),
    async roster({ cursor }) {
      const at = parseCursor(cursor)
      const fields = [
        ...new Set([
          ...['name', 'employee_name', 'status', 'modified', frappe.employeeField],
          ...(frappe.badgeField ? [frappe.badgeField] : []),
        ]),
      ]
      const body = await call({
        method: 'GET',
        path: '/api/resource/Employee',
        params: {
          fields: JSON.stringify(fields),
          ...(at.since ? { filters: JSON.stringify([['modified', '>=', at.since]]) } : {}),
          order_by: 'modified asc, name asc',
          limit_start: String(at.start),
          limit_page_length: String(ROSTER_PAGE),
        },
      })
      const page = readRosterPage(
        body,
        { employee: frappe.employeeField, badge: frappe.badgeField },
        NAME,
      )
      const hasMore = page.rows === ROSTER_PAGE
      const cursorAfter = hasMore
        ? `${at.since}|${at.start + page.rows}`
        : `${page.lastModified ?? at.since}|0`
      return { employees: page.employees, cursor: cursorAfter, hasMore }
    },
  }
}

const ROSTER_PAGE = 500

/** `since|start`: the modified time the pass started from and how far into it we are. */
function parseCursor(cursor: string | undefined): { since: string; start: number } {
  const [since = '', start = '0'] = (cursor ?? '').split('|')
  const n = Number(start)
  return { since, start: Number.isSafeInteger(n) && n >= 0 ? n : 0 }
}

/**
 * The kind a failed reply means. Only Frappe's own refusal of the request (its JSON with an
 * exception class) may dead-letter a punch; a proxy's 404 page or a missing method is a setup
 * problem, and every punch must wait for it to be fixed.
 */
function kindOf(res: HttpResponse, excType: string): CrmErrorKind {
  const kind = statusKind(res.status)
  if (excType === 'AuthenticationError' || excType === 'PermissionError') return 'unauthorised'
  if (kind === 'rejected-request' && (excType === '' || res.status === 417)) return 'server'
  return kind
}

/** Frappe's API can add a check-in but not amend or void one: an admin must do that there. */
function correctionRefusal(punch: CrmPunch, timestamp: string): string | undefined {
  const kind = punch.correction?.kind
  if (kind !== 'amended' && kind !== 'voided') return undefined
  return (
    `Frappe HR cannot ${kind === 'amended' ? 'amend' : 'void'} a check-in through its API: ` +
    `correct the check-in of ${punch.employeeId} by hand in Frappe HR (this correction is ` +
    `${punch.type} at ${timestamp})`
  )
}
