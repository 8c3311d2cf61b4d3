/**
 * Punches as hr.attendance records, a batch at a time: one search_read for what Odoo holds of
 * the batch's people, one write per record Odoo holds open that an out closes, then every new
 * record in one create. Odoo's create is one transaction: when it refuses one record, the batch
 * goes one punch at a time, so that punch alone is refused, in Odoo's words. A replay after a
 * lost reply finds its records in the search, so nothing lands twice.
 */
import { onePunchAtATime, type OutgoingPunch, type UploadOutcome } from '../connector'
import { CrmError } from '../http'
import { OdooRefusal, readRows, type OdooCalls } from './calls'
import type { OdooEmployees } from './employees'
import { odooTime } from './odoo-time'
import { OnePunchAtATime, rejected, unexpected } from './one-punch'
import { LOOK_BACK_MS, planPerson, type HeldRecord, type PersonPlan } from './plan'

interface HeldRow extends HeldRecord {
  employee_id: [number, string] | number
}

type Outcome = UploadOutcome

/** Check-outs written at once: records of different people, so their order does not matter. */
const WRITERS = 4

/** Failures that refuse the batch's request itself: its punches are tried one at a time. */
const WHOLE_REFUSALS: readonly string[] = ['rejected-request', 'too-large']

export class OdooAttendance {
  private readonly one: OnePunchAtATime

  constructor(
    private readonly odoo: OdooCalls,
    private readonly employees: OdooEmployees,
  ) {
    this.one = new OnePunchAtATime(odoo)
  }

  /** One outcome per punch; a person's later punches wait while an earlier one must. */
  async upload(batch: readonly OutgoingPunch[]): Promise<Outcome[]> {
    const who = await this.employees.resolve(batch.map((item) => item.punch.employeeId))
    const outcomes: (Outcome | undefined)[] = batch.map(() => undefined)
    const people = new Map<number, number[]>()
    batch.forEach((item, position) => {
      const person = who.get(item.punch.employeeId)!
      if ('refused' in person) outcomes[position] = rejected(item.punch, person.refused)
      else people.set(person.employee, [...(people.get(person.employee) ?? []), position])
    })
    const slow = new Set<number>()
    try {
      await this.inBatches(batch, people, outcomes, slow)
    } catch (error) {
      if (!(error instanceof CrmError || error instanceof OdooRefusal)) throw error
      if (error instanceof CrmError && !WHOLE_REFUSALS.includes(error.kind)) {
        // Nothing more is sent; what is not known to have landed waits for the replay.
        return outcomes.map((o, i) => o ?? { id: batch[i]!.punch.id, status: 'retry', error })
      }
      // Odoo refused a record of the create, or the request as a whole: one at a time.
      for (const positions of people.values()) {
        for (const p of positions) if (!outcomes[p]) slow.add(p)
      }
    }
    const rest = [...slow].sort((a, b) => a - b)
    const answers = await onePunchAtATime(
      rest.map((p) => batch[p]!),
      (item) => this.one.record(item, who.get(item.punch.employeeId)!),
    )
    rest.forEach((p, i) => (outcomes[p] = answers[i]))
    return outcomes as Outcome[]
  }

  /** Settles what the batch calls can; marks in `slow` the punches to send one at a time. */
  private async inBatches(
    batch: readonly OutgoingPunch[],
    people: Map<number, number[]>,
    outcomes: (Outcome | undefined)[],
    slow: Set<number>,
  ): Promise<void> {
    const quick = new Map(people)
    for (const [employee, positions] of people) {
      if (positions.some((p) => batch[p]!.punch.correction)) {
        positions.forEach((p) => slow.add(p))
        quick.delete(employee)
      }
    }
    if (quick.size === 0) return
    const times = [...quick.values()].flat().map((p) => Date.parse(batch[p]!.punch.occurredAt))
    const windowStart = odooTime(Math.min(...times) - LOOK_BACK_MS)
    const held = await this.held([...quick.keys()], windowStart, odooTime(Math.max(...times)))
    const plans = new Map<number, PersonPlan>()
    for (const [employee, positions] of quick) {
      const plan = planPerson(batch, positions, held.get(employee) ?? [], windowStart)
      if (plan) plans.set(employee, plan)
      else positions.forEach((p) => slow.add(p))
    }
    const closing = [...plans].filter(([, plan]) => plan.close)
    await inParallel(closing, async ([employee, plan]) => {
      if (!(await this.close(batch, plan.close!, outcomes))) {
        // Odoo will not close it: the person goes one at a time, for Odoo's own words.
        people.get(employee)!.forEach((p) => slow.add(p))
        plans.delete(employee)
      }
    })
    const creates = [...plans].flatMap(([employee, plan]) =>
      plan.creates.map((record) => ({ employee, record })),
    )
    if (creates.length > 0) {
      const ids = await this.odoo.call('hr.attendance', 'create', {
        vals_list: creates.map(({ employee, record }) => ({
          employee_id: employee,
          check_in: record.check_in,
          ...(record.check_out ? { check_out: record.check_out } : {}),
        })),
      })
      if (!Array.isArray(ids) || ids.length !== creates.length) throw unexpected('create')
    }
    // Only now: what was known from Odoo's records may have leant on the records just created.
    for (const plan of plans.values()) {
      plan.known.forEach((outcome, p) => (outcomes[p] = outcome))
      for (const record of plan.creates) {
        for (const p of record.punches) outcomes[p] = { id: batch[p]!.punch.id, status: 'created' }
      }
    }
  }

  /** Writes the check-out an out brings to the record Odoo holds open; false if Odoo refuses. */
  private async close(
    batch: readonly OutgoingPunch[],
    close: NonNullable<PersonPlan['close']>,
    outcomes: (Outcome | undefined)[],
  ): Promise<boolean> {
    const vals = { check_out: close.check_out }
    try {
      const answer = await this.odoo.call('hr.attendance', 'write', { ids: [close.id], vals })
      if (answer !== true) throw unexpected('write')
    } catch (error) {
      if (error instanceof OdooRefusal) return false
      throw error
    }
    outcomes[close.punch] = { id: batch[close.punch]!.punch.id, status: 'created' }
    return true
  }

  /** Each person's records from `from` to `to`, and their open ones, in one search_read. */
  private async held(
    employees: number[],
    from: string,
    to: string,
  ): Promise<Map<number, HeldRecord[]>> {
    const answer = await this.odoo.call('hr.attendance', 'search_read', {
      domain: [
        ['employee_id', 'in', employees],
        '|',
        ['check_out', '=', false],
        '&',
        ['check_in', '>=', from],
        ['check_in', '<=', to],
      ],
      fields: ['employee_id', 'check_in', 'check_out'],
    })
    const held = new Map<number, HeldRecord[]>()
    for (const row of readRows<HeldRow>(answer, 'hr.attendance')) {
      const employee = Array.isArray(row.employee_id) ? row.employee_id[0] : row.employee_id
      if (
        typeof employee !== 'number' ||
        typeof row.check_in !== 'string' ||
        (row.check_out !== false && typeof row.check_out !== 'string')
      ) {
        throw unexpected('search_read')
      }
      const record = { id: row.id, check_in: row.check_in, check_out: row.check_out }
      held.set(employee, [...(held.get(employee) ?? []), record])
    }
    return held
  }
}

/**
 * Runs `work` over `items`, WRITERS at a time; after a failure nothing new starts, and the
 * first failure is thrown once those under way have ended (their outcomes are kept).
 */
async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async () => {
    while (!failure && next < items.length) {
      try {
        await work(items[next++]!)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(WRITERS, items.length) }, worker))
  if (failure) throw failure.error
}
