/**
 * The model methods the fake Odoo answers (named arguments, as JSON-2 takes them): search_read,
 * search_count, create, write, unlink on hr.employee and hr.attendance, res.users.context_get.
 */
import {
  FakeRecords,
  OdooException,
  type FakeAttendance,
  type FakeEmployee,
} from './fake-odoo-models'

type Row = FakeEmployee | FakeAttendance
type Params = Record<string, unknown>

const notFound = (message: string) =>
  new OdooException('werkzeug.exceptions.NotFound', message, 404, 1)
const unprocessable = (message: string) =>
  new OdooException('werkzeug.exceptions.UnprocessableEntity', message, 422, 1)

/** Runs `model.method(**params)` as user `uid`. */
export function callMethod(
  records: FakeRecords,
  uid: number,
  model: string,
  method: string,
  params: Params,
): unknown {
  const need = (name: string) => {
    if (!(name in params)) throw unprocessable(`missing a required argument: '${name}'`)
    return params[name]
  }
  const ids = (params.ids ?? []) as number[]
  if (model === 'res.users' && method === 'context_get') return { lang: 'en_US', tz: false, uid }
  if (model !== 'hr.employee' && model !== 'hr.attendance') {
    throw notFound(`the model '${model}' does not exist`)
  }
  const table = (): Row[] => (model === 'hr.employee' ? records.employees : records.attendances)
  const activeTest = (params.context as Params | undefined)?.active_test !== false
  switch (method) {
    case 'search_read': {
      const rows = search(table(), (params.domain ?? []) as unknown[], model, activeTest, params)
      const fields = (params.fields as string[] | undefined) ?? []
      return rows.map((row) => read(records, row, fields))
    }
    case 'search_count':
      return search(table(), (params.domain ?? []) as unknown[], model, activeTest, params).length
    case 'create': {
      const valsList = need('vals_list') as Params[]
      if (model === 'hr.attendance') return records.createAttendances(valsList, uid)
      return valsList.map((vals) => records.addEmployee(vals as never))
    }
    case 'write': {
      const vals = need('vals') as Params
      if (model === 'hr.attendance') return records.writeAttendances(ids, vals, uid)
      for (const id of ids)
        Object.assign(records.employee(id, uid), vals, { write_date: records.stamp() })
      return true
    }
    case 'unlink':
      if (model === 'hr.attendance') return records.unlinkAttendances(ids, uid)
      break
  }
  throw notFound(`The method '${method}' does not exist on the model '${model}'`)
}

function search(
  rows: Row[],
  domain: unknown[],
  model: string,
  activeTest: boolean,
  p: Params,
): Row[] {
  const test = compile(domain)
  const mentionsActive = domain.some((t) => Array.isArray(t) && t[0] === 'active')
  let found = rows.filter(
    (row) =>
      test(row) &&
      (model !== 'hr.employee' || !activeTest || mentionsActive || (row as FakeEmployee).active),
  )
  const order = String(p.order ?? (model === 'hr.attendance' ? 'check_in desc' : 'name asc'))
  const keys = order.split(',').map((part) => part.trim().split(/\s+/) as [string, string?])
  found = [...found].sort((a, b) => {
    for (const [field, dir] of [...keys, ['id', 'asc'] as [string, string]]) {
      const x = (a as never)[field] as string | number
      const y = (b as never)[field] as string | number
      if (x !== y) return (x < y ? -1 : 1) * (dir?.toLowerCase() === 'desc' ? -1 : 1)
    }
    return 0
  })
  const offset = Number(p.offset ?? 0)
  return found.slice(offset, p.limit ? offset + Number(p.limit) : undefined)
}

/** An Odoo domain (prefix `|`, `&`, `!`; implicit and) as a test of one row. */
function compile(domain: unknown[]): (row: Row) => boolean {
  let i = 0
  const next = (): ((row: Row) => boolean) => {
    const item = domain[i++]
    if (item === '|' || item === '&') {
      const a = next()
      const b = next()
      return item === '|' ? (r) => a(r) || b(r) : (r) => a(r) && b(r)
    }
    if (item === '!') {
      const a = next()
      return (r) => !a(r)
    }
    const [field, op, value] = item as [string, string, unknown]
    return (row) => compare((row as never)[field], op, value)
  }
  const terms: ((row: Row) => boolean)[] = []
  while (i < domain.length) terms.push(next())
  return (row) => terms.every((t) => t(row))
}

function compare(actual: unknown, op: string, value: unknown): boolean {
  const a = actual as string | number
  const v = value as string | number
  switch (op) {
    case '=':
      return value === false ? actual === false || actual === undefined : actual === value
    case '!=':
      return value === false ? actual !== false : actual !== value
    case 'in':
      return (value as unknown[]).includes(actual)
    case 'not in':
      return !(value as unknown[]).includes(actual)
    case '<':
      return actual !== false && a < v
    case '<=':
      return actual !== false && a <= v
    case '>':
      return actual !== false && a > v
    case '>=':
      return actual !== false && a >= v
  }
  throw new OdooException('builtins.ValueError', `Invalid domain operator '${op}'`, 500, 1)
}

function read(records: FakeRecords, row: Row, fields: string[]): Params {
  const out: Params = { id: row.id }
  for (const field of fields) {
    const value = (row as never)[field] as unknown
    if (field === 'employee_id') {
      const e = records.employees.find((x) => x.id === value)
      out[field] = e ? [e.id, e.name] : false
    } else out[field] = value ?? false
  }
  return out
}
