/**
 * The one shape every HR system takes in the kiosk. The outbox, backoff, dead letters, status
 * and heartbeat are the sync service's; a connector only turns punches into the system's calls
 * and the system's answers into one outcome per punch.
 */
import type { CrmPunch, CrmReceiptsPage, CrmRosterPage, HeartbeatBody } from '../sync/crm-types'
import { CrmError } from './http'

/** The systems a kiosk can upload to (`crm.kind`). */
export const CRM_KINDS = [
  'clockface',
  'odoo',
  'frappe',
  'zkteco-adms',
  'dingtalk',
  'wecom',
  'feishu',
] as const
export type CrmKind = (typeof CRM_KINDS)[number]

/** A punch on its way out, with the punch it corrects when it is an amendment or a void. */
export interface OutgoingPunch {
  punch: CrmPunch
  /** The superseded punch as it was sent, when the kiosk still holds it. */
  supersedes?: CrmPunch
}

/**
 * What became of one punch. `created` and `duplicate` are done; `rejected` goes to the dead
 * letters with the system's own words; `retry` stays queued and the queue backs off by `error`.
 */
export type UploadOutcome =
  | { id: string; status: 'created' | 'duplicate' }
  | { id: string; status: 'rejected'; reason: string }
  | { id: string; status: 'retry'; error: CrmError }

export interface Connector {
  readonly kind: CrmKind
  /** Who answers, for messages and the status area ("Odoo", "the CRM"). */
  readonly name: string
  /** Most punches one `upload` takes. */
  readonly maxBatch: number
  /** Reachable and the credentials accepted; throws CrmError otherwise. */
  health(): Promise<unknown>
  /**
   * One outcome per punch, in the order given. A CrmError thrown instead means nothing of the
   * batch is known to have landed: the whole batch is sent again later, so every connector must
   * make a replay safe (an idempotency key, a natural key, or a look before it writes).
   */
  upload(batch: readonly OutgoingPunch[]): Promise<UploadOutcome[]>
  /** The system's staff list as roster pages (absent: the roster comes from CSV). */
  roster?(query: { cursor?: string; siteId?: string }): Promise<CrmRosterPage>
  /** The kiosk's health for IT dashboards, where the system has a place for it. */
  heartbeat?(body: HeartbeatBody): Promise<void>
  /** After an upload cycle that leaves the outbox empty: every punch recorded so far has landed. */
  drained?(): Promise<void>
  /** The punch ids the system holds from this kiosk, for reconciliation. */
  receipts?(from: string, to: string, cursor?: string): Promise<CrmReceiptsPage>
}

/**
 * Uploads one punch at a time, in order, for systems without a batch call. After a punch that
 * must wait, that person's later punches wait too (an out must not land before its in); after
 * a failure that is not about the punch itself (network, auth, rate limit), nothing more is
 * sent in this batch.
 */
export async function onePunchAtATime(
  batch: readonly OutgoingPunch[],
  send: (punch: OutgoingPunch) => Promise<UploadOutcome>,
): Promise<UploadOutcome[]> {
  const outcomes: UploadOutcome[] = []
  const waiting = new Set<string>()
  let stopped: CrmError | undefined
  for (const item of batch) {
    const { id, employeeId } = item.punch
    if (stopped || waiting.has(employeeId)) {
      outcomes.push({ id, status: 'retry', error: stopped ?? waitingFor(employeeId) })
      continue
    }
    let outcome: UploadOutcome
    try {
      outcome = await send(item)
    } catch (error) {
      if (!(error instanceof CrmError)) throw error
      if (error.kind === 'rejected-request') {
        outcome = { id, status: 'rejected', reason: error.message }
      } else {
        stopped = error
        outcome = { id, status: 'retry', error }
      }
    }
    if (outcome.status === 'retry') waiting.add(employeeId)
    outcomes.push(outcome)
  }
  return outcomes
}

function waitingFor(employeeId: string): CrmError {
  return new CrmError('unavailable', `an earlier punch of ${employeeId} must land first`)
}
