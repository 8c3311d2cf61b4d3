/**
 * Punches as hr.attendance records one at a time: an in creates one, an out closes the person's
 * open one. Odoo has no idempotency key, so every write is preceded by a look for its own
 * result, which makes a replay after a lost reply count as a duplicate instead of a second
 * record. Corrections always come this way, and batches Odoo refuses as a whole.
 */
import type { CrmPunch } from '../../sync/crm-types'
import type { OutgoingPunch, UploadOutcome } from '../connector'
import { CrmError } from '../http'
import { OdooRefusal, type OdooCalls } from './calls'
import type { Resolved } from './employees'
import { odooTimeOf } from './odoo-time'

export interface AttendanceRow {
  id: number
  check_in: string
  check_out: string | false
}

type Outcome = UploadOutcome

export class OnePunchAtATime {
  constructor(private readonly odoo: OdooCalls) {}

  /** The punch's outcome, found by its own calls; throws CrmError when Odoo cannot answer. */
  async record(item: OutgoingPunch, person: Resolved): Promise<Outcome> {
    const { punch } = item
    if ('refused' in person) return rejected(punch, person.refused)
    try {
      switch (punch.correction?.kind ?? 'added') {
        case 'amended':
          return await this.amend(item, person.employee)
        case 'voided':
          return await this.void(item, person.employee)
        default:
          return punch.type === 'in'
            ? await this.checkIn(punch, person.employee)
            : await this.checkOut(punch, person.employee)
      }
    } catch (error) {
      if (!(error instanceof OdooRefusal)) throw error
      return rejected(punch, error.message)
    }
  }

  private async checkIn(punch: CrmPunch, employee: number): Promise<Outcome> {
    const at = odooTimeOf(punch.occurredAt)
    if (await this.find(employee, [['check_in', '=', at]])) return done(punch, 'duplicate')
    const ids = await this.odoo.call('hr.attendance', 'create', {
      vals_list: [{ employee_id: employee, check_in: at }],
    })
    if (!Array.isArray(ids) || typeof ids[0] !== 'number') throw unexpected('create')
    return done(punch, 'created')
  }

  private async checkOut(punch: CrmPunch, employee: number): Promise<Outcome> {
    const at = odooTimeOf(punch.occurredAt)
    const latest = await this.find(employee, [['check_in', '<=', at]], 'check_in desc')
    if (!latest) return rejected(punch, nothingOpen(at))
    if (latest.check_out === at) return done(punch, 'duplicate')
    if (latest.check_out !== false) return rejected(punch, nothingOpen(at, latest))
    await this.write(latest.id, { check_out: at })
    return done(punch, 'created')
  }

  /** An amended time: the record found by the old time gets the new one. */
  private async amend(item: OutgoingPunch, employee: number): Promise<Outcome> {
    const { punch } = item
    const old = sameSubject(item)
    if (typeof old === 'string') return rejected(punch, old)
    const field = punch.type === 'in' ? 'check_in' : 'check_out'
    const from = odooTimeOf(old.occurredAt)
    const to = odooTimeOf(punch.occurredAt)
    const record = await this.find(employee, [[field, '=', from]])
    if (record) {
      await this.write(record.id, { [field]: to })
      return done(punch, 'created')
    }
    if (await this.find(employee, [[field, '=', to]])) return done(punch, 'duplicate')
    return rejected(punch, `no attendance in Odoo with ${label(field)} at ${from} UTC to amend`)
  }

  /** A voided punch: its in's open record goes, or its out's check-out is cleared. */
  private async void(item: OutgoingPunch, employee: number): Promise<Outcome> {
    const { punch } = item
    const old = sameSubject(item)
    if (typeof old === 'string') return rejected(punch, old)
    const at = odooTimeOf(old.occurredAt)
    if (old.type === 'out') {
      const record = await this.find(employee, [['check_out', '=', at]])
      if (!record) return done(punch, 'duplicate')
      await this.write(record.id, { check_out: false })
      return done(punch, 'created')
    }
    const record = await this.find(employee, [['check_in', '=', at]])
    if (!record) return done(punch, 'duplicate')
    if (record.check_out !== false) {
      return rejected(
        punch,
        `the Odoo attendance checked in at ${at} UTC is checked out at ${record.check_out}: ` +
          'void that check-out first',
      )
    }
    await this.odoo.call('hr.attendance', 'unlink', { ids: [record.id] })
    return done(punch, 'created')
  }

  private async find(
    employee: number,
    domain: unknown[],
    order?: string,
  ): Promise<AttendanceRow | undefined> {
    const rows = await this.odoo.call('hr.attendance', 'search_read', {
      domain: [['employee_id', '=', employee], ...domain],
      fields: ['check_in', 'check_out'],
      limit: 1,
      ...(order ? { order } : {}),
    })
    if (!Array.isArray(rows)) throw unexpected('search_read')
    const row = rows[0] as Partial<AttendanceRow> | undefined
    if (row === undefined) return undefined
    if (
      typeof row.id !== 'number' ||
      typeof row.check_in !== 'string' ||
      (row.check_out !== false && typeof row.check_out !== 'string')
    ) {
      throw unexpected('search_read')
    }
    return row as AttendanceRow
  }

  private async write(id: number, vals: Record<string, unknown>): Promise<void> {
    if ((await this.odoo.call('hr.attendance', 'write', { ids: [id], vals })) !== true) {
      throw unexpected('write')
    }
  }
}

/** The superseded punch when it names the same person and direction, or why it cannot apply. */
function sameSubject(item: OutgoingPunch): CrmPunch | string {
  const old = item.supersedes
  if (!old) return 'the punch this corrects is no longer known to the kiosk'
  if (old.employeeId !== item.punch.employeeId || old.type !== item.punch.type) {
    return 'Odoo cannot move an attendance to another person or direction: void it and add a new punch'
  }
  return old
}

function label(field: string): string {
  return field === 'check_in' ? 'a check-in' : 'a check-out'
}

function done(punch: CrmPunch, status: 'created' | 'duplicate'): Outcome {
  return { id: punch.id, status }
}

/** Why an out at `at` closes nothing: no record before it, or `latest` is already closed. */
export function nothingOpen(
  at: string,
  latest?: Pick<AttendanceRow, 'check_in' | 'check_out'>,
): string {
  const why = `no open attendance in Odoo to close at ${at} UTC`
  return latest
    ? `${why}: the last one, checked in at ${latest.check_in}, was checked out at ${latest.check_out}`
    : why
}

/** A punch refused, with why. */
export function rejected(punch: CrmPunch, reason: string): Outcome {
  return { id: punch.id, status: 'rejected', reason }
}

/** A reply from Odoo that does not say what the method returns. */
export function unexpected(method: string): CrmError {
  return new CrmError('malformed', `unexpected reply from Odoo to hr.attendance ${method}`)
}
