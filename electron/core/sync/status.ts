/** Upload state for the kiosk's status area, read from the outbox. */
import type { SyncStatus } from '../../shared/types'
import type { Store } from '../store/types'

/** Until a CRM is configured and reached, the kiosk is "offline only": punches wait locally. */
export function readSyncStatus(store: Store): SyncStatus {
  const row = store.get<{ pending: number; oldest: number | null }>(
    `SELECT COUNT(*) AS pending, MIN(enqueued_at) AS oldest FROM outbox`,
  )
  return {
    mode: 'offline-only',
    pending: row?.pending ?? 0,
    oldestPendingAt: row?.oldest != null ? new Date(row.oldest).toISOString() : null,
    lastSyncAt: null,
    offlineSince: null,
  }
}
