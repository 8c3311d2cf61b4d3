/**
 * Automatic check-out, as Odoo has it: an in left open is closed at a fixed local time or a
 * tolerance after the schedule's end. The out is a correction of kind `added` with method
 * `auto`, entered by the kiosk, so reports, the board and the CRM all see it for what it is.
 */
import type { Config } from '../config/config'
import type { Logger } from '../logger'
import type { Employee, Roster } from '../roster/roster'
import type { Store } from '../store/types'
import type { Corrections } from './corrections'
import { latestEffective, type LedgerRow } from './ledger'
import { addDays, shiftOn, siteCalendar, weekFrom, workingDayOf } from './shifts'
import { zonedToInstant } from './zoned-time'

/** How often a running kiosk looks for ins to close. */
export const autoCheckoutEveryMs = 60_000

export class AutoCheckout {
  constructor(
    private readonly store: Store,
    private readonly roster: Roster,
    private readonly corrections: Corrections,
    private readonly config: Config,
    private readonly now: () => number,
  ) {}

  /** When this open in is due to be closed, or null when the rule does not apply to it. */
  dueAt(person: Employee, open: LedgerRow): number | null {
    const rule = this.config.attendance.autoCheckout
    const zone = this.config.timeZone
    const week = weekFrom(person.schedule)
    const day = workingDayOf(open.occurred_at, week, zone)
    if (rule.mode === 'at') {
      const sameDay = zonedToInstant(day, rule.at, zone)
      return sameDay > open.occurred_at ? sameDay : zonedToInstant(addDays(day, 1), rule.at, zone)
    }
    if (rule.mode === 'afterEnd') {
      const end = shiftOn(day, week, siteCalendar(this.config)).end
      if (end === null || end <= open.occurred_at) return null
      return end + rule.afterEndMinutes * 60_000
    }
    return null
  }

  /** Closes every in that is due; returns how many were closed. */
  run(): number {
    if (this.config.attendance.autoCheckout.mode === 'off') return 0
    const now = this.now()
    let closed = 0
    for (const person of this.roster.everyone()) {
      const open = latestEffective(this.store, person.id, now)
      if (!open || open.type !== 'in') continue
      const due = this.dueAt(person, open)
      if (due === null || due > now) continue
      const rule = this.config.attendance.autoCheckout
      this.corrections.write({
        employee: person,
        type: 'out',
        at: due,
        method: 'auto',
        kind: 'added',
        supersedes: null,
        reason:
          rule.mode === 'at'
            ? `Automatic check-out at ${rule.at}`
            : `Automatic check-out ${rule.afterEndMinutes} min after the schedule's end`,
        actor: { id: 'kiosk' },
      })
      closed++
    }
    return closed
  }

  /** Runs every minute on `timers` until the returned function is called. */
  repeat(timers: { after(ms: number, task: () => void): () => void }, log: Logger): () => void {
    let cancel = () => {}
    const tick = () => {
      try {
        const closed = this.run()
        if (closed > 0) log.info(`auto check-out closed ${closed} open check-in(s)`)
      } catch (error) {
        log.error('auto check-out failed', error)
      }
      cancel = timers.after(autoCheckoutEveryMs, tick)
    }
    cancel = timers.after(autoCheckoutEveryMs, tick)
    return () => cancel()
  }
}
