/** Odoo 17–19 as a connector: punches become hr.attendance records, staff come from hr.employee. */
import type { Connector } from '../connector'
import { OdooAttendance } from './attendance'
import type { OdooCalls } from './calls'
import { OdooEmployees } from './employees'
import { json2Calls } from './json2'
import type { OdooSettings } from './settings'
import { xmlRpcCalls } from './xmlrpc'

/** What the connector needs of its ConnectorContext (index.ts passes the whole of it). */
export interface OdooContext {
  timeoutMs: number
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
}

/**
 * Punches per upload: a few calls and one create, but Odoo may refuse the create and send the
 * batch one punch at a time (two calls each), which must still fit well inside a sync cycle.
 */
export const ODOO_MAX_BATCH = 200

/** The connector for one Odoo database, over JSON-2 (19+) or XML-RPC (17–18). */
export function odooConnector(
  settings: OdooSettings,
  url: string,
  context: OdooContext,
): Connector {
  const odoo = odooCalls(settings, url, context)
  const employees = new OdooEmployees(odoo, settings.employeeField)
  const attendance = new OdooAttendance(odoo, employees)
  return {
    kind: 'odoo',
    name: 'Odoo',
    maxBatch: ODOO_MAX_BATCH,
    // Authenticated and allowed to read attendances, in one cheap call.
    health: () => odoo.call('hr.attendance', 'search_count', { domain: [], limit: 1 }),
    upload: (batch) => attendance.upload(batch),
    roster: (query) => employees.roster(query.cursor),
  }
}

function odooCalls(settings: OdooSettings, url: string, context: OdooContext): OdooCalls {
  const { apiKey, database, login } = settings
  if (!apiKey) throw new TypeError('"crm.odoo.apiKey" must be set for "crm.kind" "odoo"')
  const common = {
    baseUrl: new URL(url.endsWith('/') ? url : `${url}/`),
    apiKey,
    timeoutMs: context.timeoutMs,
    ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
  }
  if (settings.protocol === 'json2') return json2Calls({ ...common, database })
  if (!database || !login) {
    throw new TypeError('"crm.odoo.database" and "crm.odoo.login" must be set for XML-RPC')
  }
  return xmlRpcCalls({ ...common, database, login })
}
