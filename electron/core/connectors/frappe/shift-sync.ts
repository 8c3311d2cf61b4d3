/**
 * Frappe's auto attendance marks a shift only from check-ins older than the Shift Type's "Last
 * Sync of Checkin". Advancing it from the kiosk, and only once its queue is empty, means a shift
 * is never closed while this kiosk still holds offline punches for it.
 */
import type { Logger } from '../../logger'
import type { HttpCall, HttpResponse } from '../http'
import { wallTime } from './wall-time'

/** Least time between two advances: Frappe processes shifts hourly, each cycle need not. */
export const SHIFT_SYNC_EVERY_MS = 5 * 60_000

export interface ShiftSyncOptions {
  http: (call: HttpCall) => Promise<HttpResponse>
  shiftTypes: readonly string[]
  timeZone: string
  log: Logger
  /** Why a reply failed, in Frappe's words (made safe). */
  describe: (res: HttpResponse) => string
  now?: () => number
}

/** The `drained` hook: sets each Shift Type's last sync to now on the site's wall clock. */
export function shiftSync(o: ShiftSyncOptions): () => Promise<void> {
  const now = o.now ?? Date.now
  let last = -Infinity
  return async () => {
    // Taken before any await: a punch recorded after this moment is not covered by it.
    const at = now()
    if (at - last < SHIFT_SYNC_EVERY_MS) return
    last = at
    const wall = wallTime(at, o.timeZone)
    for (const name of o.shiftTypes) {
      try {
        const res = await o.http({
          method: 'PUT',
          path: `/api/resource/Shift%20Type/${encodeURIComponent(name)}`,
          headers: { 'Content-Type': 'application/json' },
          body: { last_sync_of_checkin: wall },
        })
        if (res.status !== 200) {
          o.log.warn(`Shift Type "${name}" keeps its last sync: ${o.describe(res)}`)
        }
      } catch (error) {
        // Uploads are done and safe; a missed advance is retried after the next cycle.
        last = -Infinity
        o.log.warn(`Shift Type "${name}" keeps its last sync: ${(error as Error).message}`)
        return
      }
    }
  }
}
