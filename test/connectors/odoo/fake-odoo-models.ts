/**
 * The records behind the fake Odoo: hr.employee and hr.attendance with Odoo 19's rules as its
 * hr_attendance module states them (one open record per person, no overlap, no check-out
 * before check-in), its datetime format and its exception names and messages.
 */

export interface FakeEmployee {
  id: number
  name: string
  barcode: string | false
  pin: string | false
  active: boolean
  write_date: string
}

export interface FakeAttendance {
  id: number
  employee_id: number
  check_in: string
  check_out: string | false
}

/** An Odoo exception as the fake raises it; `status` is JSON-2's, `fault` XML-RPC's code. */
export class OdooException extends Error {
  constructor(
    readonly exception: string,
    message: string,
    readonly status: number,
    readonly fault: number,
  ) {
    super(message)
  }
}

const validation = (message: string) =>
  new OdooException('odoo.exceptions.ValidationError', message, 422, 2)
const missing = (model: string, ids: number[], uid: number) =>
  new OdooException(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: ${uid})`,
    404,
    2,
  )
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** Odoo's Datetime.to_datetime: exactly `%Y-%m-%d %H:%M:%S`, else a ValueError (HTTP 500). */
export function checkDatetime(value: unknown): string | false {
  if (value === false || value === null || value === undefined) return false
  if (
    typeof value !== 'string' ||
    !DATETIME.test(value) ||
    Number.isNaN(Date.parse(`${value.replace(' ', 'T')}Z`))
  ) {
    throw new OdooException(
      'builtins.ValueError',
      `time data '${String(value)}' does not match format '%Y-%m-%d %H:%M:%S'`,
      500,
      1,
    )
  }
  return value
}

/** Odoo's format_datetime for an en_US user without a zone: `02/04/2005 10:00:00 AM` (UTC). */
export function shownDatetime(value: string): string {
  const [date, time] = value.split(' ') as [string, string]
  const [y, m, d] = date.split('-')
  const [hh, mm, ss] = time.split(':').map(Number) as [number, number, number]
  const h12 = hh % 12 === 0 ? 12 : hh % 12
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${m}/${d}/${y} ${pad(h12)}:${pad(mm)}:${pad(ss)} ${hh < 12 ? 'AM' : 'PM'}`
}

export class FakeRecords {
  employees: FakeEmployee[] = []
  attendances: FakeAttendance[] = []
  private nextEmployee = 1
  private nextAttendance = 1

  constructor(private readonly now: () => number = Date.now) {}

  stamp(): string {
    return new Date(this.now()).toISOString().slice(0, 19).replace('T', ' ')
  }

  addEmployee(e: { name: string; barcode?: string; pin?: string; active?: boolean }): number {
    const barcode = e.barcode ?? false
    // hr.employee's own constraints (_verify_barcode, _verify_pin).
    if (barcode && !(/^[A-Za-z0-9]+$/.test(barcode) && barcode.length <= 18)) {
      throw validation(
        'The Badge ID must be alphanumeric without any accents and no longer than 18 characters.',
      )
    }
    if (e.pin && !/^\d+$/.test(e.pin)) throw validation('The PIN must be a sequence of digits.')
    if (barcode && this.employees.some((other) => other.barcode === barcode)) {
      throw validation(
        'The operation cannot be completed: The Badge ID must be unique, this one is already assigned to another employee.',
      )
    }
    const id = this.nextEmployee++
    this.employees.push({
      id,
      name: e.name,
      barcode,
      pin: e.pin ?? false,
      active: e.active ?? true,
      write_date: this.stamp(),
    })
    return id
  }

  employee(id: number, uid: number): FakeEmployee {
    const found = this.employees.find((e) => e.id === id)
    if (!found) throw missing('hr.employee', [id], uid)
    return found
  }

  /**
   * hr.attendance create, all or nothing: every record is inserted (using up its id), then all
   * are checked together, so the first invalid one is named in terms of all the others.
   */
  createAttendances(valsList: Record<string, unknown>[], uid: number): number[] {
    const before = this.attendances
    const created: FakeAttendance[] = []
    try {
      for (const vals of valsList) {
        const id = this.nextAttendance++
        const employeeId = Number(vals.employee_id)
        this.employee(employeeId, uid)
        created.push({
          id,
          employee_id: employeeId,
          check_in: checkDatetime(vals.check_in ?? this.stamp()) as string,
          check_out: checkDatetime(vals.check_out),
        })
      }
      this.attendances = [...before, ...created]
      this.validate(created)
    } catch (error) {
      this.attendances = before
      throw error
    }
    return created.map((a) => a.id)
  }

  writeAttendances(ids: number[], vals: Record<string, unknown>, uid: number): true {
    const records = this.existing(ids, uid)
    const before = records.map((a) => ({ ...a }))
    try {
      for (const record of records) {
        if ('check_in' in vals) record.check_in = checkDatetime(vals.check_in) as string
        if ('check_out' in vals) record.check_out = checkDatetime(vals.check_out)
        if ('employee_id' in vals)
          record.employee_id = this.employee(Number(vals.employee_id), uid).id
      }
      this.validate(records)
    } catch (error) {
      records.forEach((record, i) => Object.assign(record, before[i]))
      throw error
    }
    return true
  }

  unlinkAttendances(ids: number[], uid: number): true {
    this.existing(ids, uid)
    this.attendances = this.attendances.filter((a) => !ids.includes(a.id))
    return true
  }

  private existing(ids: number[], uid: number): FakeAttendance[] {
    const gone = ids.filter((id) => !this.attendances.some((a) => a.id === id))
    if (gone.length > 0) throw missing('hr.attendance', gone, uid)
    return this.attendances.filter((a) => ids.includes(a.id))
  }

  /**
   * hr_attendance's constraints as Odoo runs them on the records just written: each method over
   * all of them, in the methods' name order (_check_validity, then _check_validity_check_in_check_out).
   */
  private validate(records: FakeAttendance[]): void {
    for (const a of records) this.checkValidity(a)
    for (const a of records) {
      if (a.check_in && a.check_out && a.check_out < a.check_in) {
        throw validation('"Check Out" time cannot be earlier than "Check In" time.')
      }
    }
  }

  private checkValidity(a: FakeAttendance): void {
    if (!a.check_in) return
    const name = this.employees.find((e) => e.id === a.employee_id)!.name
    const mine = this.attendances
      .filter((o) => o.employee_id === a.employee_id && o.id !== a.id)
      .sort((x, y) => (x.check_in < y.check_in ? 1 : x.check_in > y.check_in ? -1 : y.id - x.id))
    const overlap = (at: string) =>
      validation(
        `Cannot create new attendance record for ${name}, the employee was already checked in on ${shownDatetime(at)}`,
      )
    const before = mine.find((o) => o.check_in <= a.check_in)
    if (before && before.check_out && before.check_out > a.check_in) throw overlap(a.check_in)
    if (!a.check_out) {
      const open = mine.find((o) => !o.check_out)
      if (open) {
        throw validation(
          `Cannot create new attendance record for ${name}, the employee hasn't checked out since ${shownDatetime(open.check_in)}`,
        )
      }
    } else {
      const beforeOut = mine.find((o) => o.check_in < (a.check_out as string))
      if (beforeOut && beforeOut !== before) throw overlap(beforeOut.check_in)
    }
  }
}
