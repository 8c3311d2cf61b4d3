/**
 * Reconciliation: the kiosk's punches of a period against the CRM's receipts for them. Punches
 * the CRM lacks go back to the upload queue (unless already queued, dead-lettered or discarded);
 * ids the CRM holds that this kiosk never made are reported. Each run is one audited commit.
 */
import { auditEntry } from '../audit/audit'
import type { Statement, Store } from '../store/types'
import type { ReconciliationResult, ReconciliationSummary } from '../../shared/types'
import { CrmError, type CrmReceiptsPage } from './crm-client'

/** What reconciliation needs of the CRM client. */
export interface ReceiptSource {
  receipts(from: string, to: string, cursor?: string): Promise<CrmReceiptsPage>
}

export interface ReconcileRun {
  /** The period [from, to), ms. */
  from: number
  to: number
  /** The same bounds as sent to the CRM, RFC 3339. */
  fromText: string
  toText: string
  now: number
  actor: string
}

/** Pages a run may read: 5 million receipts, far past any kiosk's period. */
export const MAX_RECEIPT_PAGES = 5_000
/** Unknown ids kept by name in a reconciliation's record; the rest are counted. */
export const UNKNOWN_IDS_KEPT = 100
const CHUNK = 500

/** Runs one reconciliation; a CRM failure (CrmError) changes nothing here. */
export async function reconcile(
  store: Store,
  source: ReceiptSource,
  run: ReconcileRun,
  maxPages = MAX_RECEIPT_PAGES,
): Promise<ReconciliationResult> {
  const local = store
    .all<{ id: string }>(`SELECT id FROM punches WHERE occurred_at >= ? AND occurred_at < ?`, [
      run.from,
      run.to,
    ])
    .map((row) => row.id)
  // Taken before asking the CRM: a punch out of the queue by now was answered for before the CRM
  // listed its receipts, so its absence there is real. One still queued may be uploaded while
  // the pages arrive; it is left to the queue, never sent twice by this run.
  const settled = local.filter(notIn(waitingOrGivenUp(store)))
  const remote = await receiptIds(source, run.fromText, run.toText, maxPages)
  // From here to the commit nothing awaits: no upload or admin decision can come in between.
  const excluded = waitingOrGivenUp(store)
  const missing = settled.filter((id) => !remote.has(id) && !excluded.has(id))
  const localSet = new Set(local)
  const unknown = notMadeHere(
    store,
    [...remote].filter((id) => !localSet.has(id)),
  )
  const summary: ReconciliationSummary = {
    ranAt: new Date(run.now).toISOString(),
    from: new Date(run.from).toISOString(),
    to: new Date(run.to).toISOString(),
    localCount: local.length,
    remoteCount: remote.size,
    requeued: missing.length,
    unknownIds: unknown.length,
  }
  const kept = unknown.slice(0, UNKNOWN_IDS_KEPT)
  store.commit([
    ...requeueStatements(missing, run.now),
    auditEntry(run.now, run.actor, 'sync.reconcile', null, {
      from: summary.from,
      to: summary.to,
      requeued: missing.length,
      requeuedIds: missing.slice(0, UNKNOWN_IDS_KEPT),
      unknownIds: unknown.length,
    }),
    [
      `INSERT INTO reconciliations (ran_at, range_from, range_to, local_count, remote_count,
         requeued, unknown_ids, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        run.now,
        run.from,
        run.to,
        local.length,
        remote.size,
        missing.length,
        JSON.stringify({ count: unknown.length, ids: kept }),
        run.actor,
      ],
    ],
  ])
  return { ...summary, unknownIdList: kept }
}

/** The last reconciliation recorded, or null if there was none. */
export function lastReconciliation(store: Store): ReconciliationSummary | null {
  const row = store.get<{
    ran_at: number
    range_from: number
    range_to: number
    local_count: number
    remote_count: number
    requeued: number
    unknown_ids: string
  }>(`SELECT * FROM reconciliations ORDER BY seq DESC LIMIT 1`)
  if (!row) return null
  const iso = (t: number) => new Date(t).toISOString()
  return {
    ranAt: iso(row.ran_at),
    from: iso(row.range_from),
    to: iso(row.range_to),
    localCount: row.local_count,
    remoteCount: row.remote_count,
    requeued: row.requeued,
    unknownIds: (JSON.parse(row.unknown_ids) as { count: number }).count,
  }
}

/** Every receipt id of the period, page by page; a reply that never ends is an error. */
async function receiptIds(
  source: ReceiptSource,
  from: string,
  to: string,
  maxPages: number,
): Promise<Set<string>> {
  const ids = new Set<string>()
  const cursors = new Set<string>()
  let cursor: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const answer = await source.receipts(from, to, cursor)
    for (const receipt of answer.receipts) ids.add(receipt.id)
    if (!answer.hasMore) return ids
    if (!answer.cursor || cursors.has(answer.cursor)) {
      throw new CrmError('malformed', 'the CRM repeated a receipts cursor; reconciliation stopped')
    }
    cursors.add(answer.cursor)
    cursor = answer.cursor
  }
  throw new CrmError('malformed', `the CRM's receipts did not end after ${maxPages} pages`)
}

/** Punches in the queue, in the dead letters, or discarded from them by an admin. */
function waitingOrGivenUp(store: Store): Set<string> {
  const rows = store.all<{ id: string }>(
    `SELECT punch_id AS id FROM outbox UNION SELECT punch_id FROM dead_letters
     UNION SELECT subject FROM audit WHERE action = 'dead-letter.discard' AND subject IS NOT NULL`,
  )
  return new Set(rows.map((row) => row.id))
}

function notIn(set: Set<string>): (id: string) => boolean {
  return (id) => !set.has(id)
}

/** Of `ids`, those that name no punch of this kiosk at all (of any period). */
function notMadeHere(store: Store, ids: string[]): string[] {
  const found = new Set<string>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const marks = chunk.map(() => '?').join(', ')
    for (const row of store.all<{ id: string }>(
      `SELECT id FROM punches WHERE id IN (${marks})`,
      chunk,
    ))
      found.add(row.id)
  }
  return ids.filter((id) => !found.has(id))
}

// Queued at their own time (never ahead of now): their switch window is long past, and the
// oldest go first.
function requeueStatements(ids: string[], now: number): Statement[] {
  const statements: Statement[] = []
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const marks = chunk.map(() => '?').join(', ')
    statements.push([
      `INSERT OR IGNORE INTO outbox (punch_id, enqueued_at)
       SELECT id, MIN(occurred_at, ?) FROM punches WHERE id IN (${marks})`,
      [now, ...chunk],
    ])
  }
  return statements
}
