/**
 * A Frappe HR site on 127.0.0.1 as the kiosk sees it, built from frappe/hrms and frappe/frappe:
 * `add_log_based_on_employee_field` with its validations in their order and their exact words,
 * token auth, the v1 error body (`exc_type`, `exception`, `_server_messages` as JSON text of
 * JSON texts) with each exception's status (ValidationError 417, PermissionError 403,
 * AuthenticationError 401, DoesNotExistError 404), and the Employee list with paging.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { zonedToInstant } from '../../../electron/core/attendance/zoned-time'
import { close, listen, readBody } from '../../crm/http-kit'

export interface FakeEmployee {
  name: string
  employee_name: string
  status: 'Active' | 'Inactive' | 'Suspended' | 'Left'
  attendance_device_id: string
  /** A custom field holding the badge number. */
  badge_number: string
  modified: string
}

export interface FakeCheckin {
  name: string
  employee: string
  /** Naive wall time in the site's zone, as Frappe keeps it. */
  time: string
  log_type: 'IN' | 'OUT' | null
  device_id: string | null
}

/** What the site answers next instead of doing its work; `drop` does the work, loses the reply. */
export type FrappeFault =
  | { status: number; body?: string; type?: string; headers?: Record<string, string> }
  | { drop: true }

export interface FakeFrappeOptions {
  zone: string
  staff: readonly { id: string; name: string; badge?: string }[]
  apiKey?: string
  apiSecret?: string
  app?: 'hrms' | 'erpnext'
  /** Shift Type names the site has. */
  shiftTypes?: readonly string[]
}

export interface FakeFrappe {
  url: string
  apiKey: string
  apiSecret: string
  employees: FakeEmployee[]
  checkins: FakeCheckin[]
  /** Each Shift Type's "Last Sync of Checkin" (null: never set). */
  shiftTypes: Map<string, string | null>
  /** Every request's method, path and Authorization header. */
  requests: { method: string; path: string; authorization: string | undefined }[]
  /** Answers the next requests (to any path but the roster) with these, in order. */
  faults: FrappeFault[]
  setStatus(deviceId: string, status: FakeEmployee['status']): void
  /** The instant a check-in's wall time means on the site's clock (first one when repeated). */
  instantOf(checkin: FakeCheckin): number
  stop(): Promise<void>
}

const CHECKIN = '.hr.doctype.employee_checkin.employee_checkin.add_log_based_on_employee_field'
const WALL = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}):(\d{2})(\.\d{1,6})?$/

/** Starts the site knowing `staff` (their kiosk ids in attendance_device_id). */
export async function startFakeFrappe(opts: FakeFrappeOptions): Promise<FakeFrappe> {
  const apiKey = opts.apiKey ?? 'a1b2c3d4e5f6a7b'
  const apiSecret = opts.apiSecret ?? 'f0e9d8c7b6a5f4e'
  const app = opts.app ?? 'hrms'
  let tick = 0
  const modifiedNow = () => `2026-01-01 00:00:00.${String(++tick).padStart(6, '0')}`
  const employees: FakeEmployee[] = opts.staff.map((p, i) => ({
    name: `HR-EMP-${String(i + 1).padStart(5, '0')}`,
    employee_name: p.name,
    status: 'Active',
    attendance_device_id: p.id,
    badge_number: p.badge ?? '',
    modified: modifiedNow(),
  }))
  const checkins: FakeCheckin[] = []
  const requests: FakeFrappe['requests'] = []
  const faults: FrappeFault[] = []
  const shiftTypes = new Map<string, string | null>((opts.shiftTypes ?? []).map((n) => [n, null]))

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (res.headersSent) return
      const answer = frappeError('Exception', 'Internal Server Error')
      send(res, answer.status, answer.body)
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://frappe.local')
    const raw = (await readBody(req, 1024 * 1024)).toString('utf8')
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
    })
    const fault = url.pathname === '/api/resource/Employee' ? undefined : faults.shift()
    if (fault && !('drop' in fault)) {
      res.writeHead(fault.status, { 'Content-Type': fault.type ?? 'text/html', ...fault.headers })
      res.end(fault.body ?? '')
      return
    }
    const answer = route(req, url, raw)
    if (fault) {
      req.socket.destroy()
      return
    }
    send(res, answer.status, answer.body)
  }

  function route(req: IncomingMessage, url: URL, raw: string): Answer {
    if (!url.pathname.startsWith('/api/')) return { status: 404, body: '<h1>Page Not Found</h1>' }
    const auth = req.headers.authorization
    if (auth === undefined) {
      return frappeError('PermissionError', 'Not permitted')
    }
    if (auth !== `token ${apiKey}:${apiSecret}`) return frappeError('AuthenticationError', '')
    if (url.pathname === '/api/method/frappe.auth.get_logged_user' && req.method === 'GET') {
      return ok({ message: 'kiosk@example.com' })
    }
    if (url.pathname === '/api/resource/Employee' && req.method === 'GET') return employeeList(url)
    const shift = /^\/api\/resource\/Shift%20Type\/(.+)$/.exec(url.pathname)
    if (shift && req.method === 'PUT')
      return setLastSync(decodeURIComponent(shift[1]!), formOf(req, raw))
    if (url.pathname.startsWith('/api/method/')) {
      const cmd = url.pathname.slice('/api/method/'.length)
      if (cmd !== `${app}${CHECKIN}` || req.method !== 'POST') {
        const module = cmd.split('.').slice(0, 2).join('.')
        return frappeError(
          'ValidationError',
          `Failed to get method for command ${cmd} with No module named '${module}'`,
        )
      }
      return addLog(formOf(req, raw))
    }
    return frappeError('DoesNotExistError', `DocType ${url.pathname.split('/')[3]} not found`)
  }

  function addLog(args: Record<string, unknown>): Answer {
    const value = args.employee_field_value
    const timestamp = args.timestamp
    if (!value || !timestamp) {
      return frappeError('ValidationError', "'employee_field_value' and 'timestamp' are required.")
    }
    const field =
      typeof args.employee_fieldname === 'string' ? args.employee_fieldname : 'attendance_device_id'
    const employee = employees.find(
      (e) => (e as unknown as Record<string, unknown>)[field] === value,
    )
    if (!employee) {
      return frappeError(
        'ValidationError',
        `No Employee found for the given employee field value. '${field}': ${String(value)}`,
      )
    }
    const m = WALL.exec(String(timestamp))
    if (!m) return frappeError('ValidationError', `Invalid date or time: ${String(timestamp)}`)
    const time = `${m[1]} ${m[2]}:${m[3]}`
    const logType = args.log_type === 'IN' || args.log_type === 'OUT' ? args.log_type : null
    if (employee.status === 'Inactive') {
      return frappeError(
        'ValidationError',
        `Transactions cannot be created for an Inactive Employee <a href="/app/employee/${employee.name}">${employee.name}</a>.`,
      )
    }
    const same = checkins.find(
      (c) => c.employee === employee.name && c.time === time && c.log_type === logType,
    )
    if (same) {
      return frappeError(
        'ValidationError',
        `This employee already has a log with the same timestamp.<Br><a href="/app/employee-checkin/${same.name}">${same.name}</a>`,
      )
    }
    const checkin: FakeCheckin = {
      name: `EMP-CKIN-${String(checkins.length + 1).padStart(5, '0')}`,
      employee: employee.name,
      time,
      log_type: logType,
      device_id: typeof args.device_id === 'string' ? args.device_id : null,
    }
    checkins.push(checkin)
    return ok({
      message: { doctype: 'Employee Checkin', ...checkin, employee_name: employee.employee_name },
    })
  }

  function setLastSync(name: string, values: Record<string, unknown>): Answer {
    if (!shiftTypes.has(name))
      return frappeError('DoesNotExistError', `Shift Type ${name} not found`)
    const value = values.last_sync_of_checkin
    if (typeof value !== 'string' || !WALL.test(value)) {
      return frappeError('ValidationError', `Invalid datetime: ${String(value)}`)
    }
    shiftTypes.set(name, value)
    return ok({ data: { doctype: 'Shift Type', name, last_sync_of_checkin: value } })
  }

  function employeeList(url: URL): Answer {
    const fields = JSON.parse(url.searchParams.get('fields') ?? '["name"]') as string[]
    const filters = JSON.parse(url.searchParams.get('filters') ?? '[]') as [
      string,
      string,
      string,
    ][]
    const start = Number(url.searchParams.get('limit_start') ?? 0)
    const length = Number(url.searchParams.get('limit_page_length') ?? 20)
    const rows = employees
      .filter((e) =>
        filters.every(([f, op, v]) => f === 'modified' && op === '>=' && e.modified >= v),
      )
      .sort((a, b) =>
        a.modified < b.modified ? -1 : a.modified > b.modified ? 1 : a.name < b.name ? -1 : 1,
      )
      .slice(start, start + length)
      .map((e) =>
        Object.fromEntries(
          fields.map((f) => [f, (e as unknown as Record<string, unknown>)[f] ?? null]),
        ),
      )
    return ok({ data: rows })
  }

  const { url } = await listen(server)
  return {
    url,
    apiKey,
    apiSecret,
    employees,
    checkins,
    shiftTypes,
    requests,
    faults,
    setStatus(deviceId, status) {
      const e = employees.find((x) => x.attendance_device_id === deviceId)
      if (!e) throw new Error(`no employee ${deviceId}`)
      e.status = status
      e.modified = modifiedNow()
    },
    instantOf(checkin) {
      const m = WALL.exec(checkin.time)!
      return zonedToInstant(m[1]!, m[2]!, opts.zone) + Number(m[3]) * 1000
    },
    stop: () => close(server),
  }
}

interface Answer {
  status: number
  body: string
}

const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) })

const STATUS: Record<string, number> = {
  ValidationError: 417,
  PermissionError: 403,
  AuthenticationError: 401,
  DoesNotExistError: 404,
  Exception: 500,
}

/** An exception as frappe/utils/response.py reports it over API v1. */
function frappeError(excType: string, message: string): Answer {
  const body: Record<string, unknown> = {
    exc_type: excType,
    exception: `frappe.exceptions.${excType}: ${message}`,
  }
  if (message) {
    const entry = {
      message,
      title: 'Message',
      indicator: 'red',
      raise_exception: 1,
      __frappe_exc_id: randomBytes(8).toString('hex'),
    }
    body._server_messages = JSON.stringify([JSON.stringify(entry)])
  }
  return { status: STATUS[excType] ?? 500, body: JSON.stringify(body) }
}

function send(res: ServerResponse, status: number, body: string): void {
  const json = body.startsWith('{')
  res.writeHead(status, { 'Content-Type': json ? 'application/json' : 'text/html; charset=utf-8' })
  res.end(body)
}

/** frappe.form_dict: a JSON body or a form-encoded one. */
function formOf(req: IncomingMessage, raw: string): Record<string, unknown> {
  if (String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return JSON.parse(raw || '{}') as Record<string, unknown>
  }
  return Object.fromEntries(new URLSearchParams(raw))
}
