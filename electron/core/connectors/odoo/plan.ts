/**
 * One person's share of a batch, planned in memory against the records Odoo already holds:
 * which punches are there already, which become new records (an in and its out as one closed
 * record), and which closes a record Odoo holds. Whatever Odoo would refuse, or the kiosk cannot
 * be sure of from what it read, sends the person one punch at a time instead, so Odoo words the
 * refusal and the outcome is the one a punch-by-punch upload would have had.
 */
import type { OutgoingPunch, UploadOutcome } from '../connector'
import { odooTimeOf } from './odoo-time'
import { nothingOpen, rejected, type AttendanceRow } from './one-punch'

/** An hr.attendance record of the person, as read from Odoo. */
export type HeldRecord = AttendanceRow

/** A record to create; `punches` are the batch positions it answers for. */
export interface NewRecord {
  check_in: string
  check_out: string | false
  punches: number[]
}

export interface PersonPlan {
  /** Outcomes known from Odoo's records alone (duplicates, an out with nothing open). */
  known: Map<number, UploadOutcome>
  creates: NewRecord[]
  /** The record Odoo holds open that one of the punches closes (at most one). */
  close?: { id: number; check_out: string; punch: number }
}

/** How far before a batch's first punch Odoo is read: an out closes an in from this window. */
export const LOOK_BACK_MS = 24 * 60 * 60 * 1000

type Planned = NewRecord | HeldRecord

/**
 * The plan for one person's punches (batch positions, in order) given every record Odoo holds
 * for them from `windowStart` on and every open one; undefined means one punch at a time.
 */
export function planPerson(
  batch: readonly OutgoingPunch[],
  positions: readonly number[],
  held: readonly HeldRecord[],
  windowStart: string,
): PersonPlan | undefined {
  const plan: PersonPlan = { known: new Map(), creates: [] }
  const records: Planned[] = held.map((record) => ({ ...record }))
  let previous = ''
  for (const position of positions) {
    const { punch } = batch[position]!
    if (punch.correction) return undefined
    const at = odooTimeOf(punch.occurredAt)
    // Out of order in time, or twice in one second: what Odoo checks depends on the order.
    if (at <= previous) return undefined
    previous = at
    if (punch.type === 'in') {
      if (records.some((r) => r.check_in === at)) {
        plan.known.set(position, { id: punch.id, status: 'duplicate' })
        continue
      }
      // A second open record, or an in inside a closed one: Odoo refuses it.
      const before = latestUpTo(records, at)
      if (records.some((r) => r.check_out === false)) return undefined
      if (before && before.check_out !== false && before.check_out > at) return undefined
      const record: NewRecord = { check_in: at, check_out: false, punches: [position] }
      plan.creates.push(record)
      records.push(record)
      continue
    }
    const latest = latestUpTo(records, at)
    // Nothing read before the out: what it closes, if anything, lies before the window.
    if (!latest || latest.check_in < windowStart) return undefined
    if (latest.check_out === at) {
      plan.known.set(position, { id: punch.id, status: 'duplicate' })
    } else if (latest.check_out !== false) {
      plan.known.set(position, rejected(punch, nothingOpen(at, latest)))
    } else if (records.some((r) => r.check_in > latest.check_in && r.check_in < at)) {
      return undefined
    } else if ('punches' in latest) {
      latest.check_out = at
      latest.punches.push(position)
    } else if (plan.close) {
      return undefined
    } else {
      latest.check_out = at
      plan.close = { id: latest.id, check_out: at, punch: position }
    }
  }
  return plan
}

function latestUpTo(records: readonly Planned[], at: string): Planned | undefined {
  let latest: Planned | undefined
  for (const r of records)
    if (r.check_in <= at && (!latest || r.check_in > latest.check_in)) latest = r
  return latest
}
