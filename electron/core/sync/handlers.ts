/**
 * The `sync:` operations: upload status, network hints, and in admin mode the dead letters and
 * reconciliation with the CRM's receipts.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { AdminGuard } from '../admin/admin-session'
import type { DomainHandlers } from '../gate'
import type { KioskPlatform } from '../platform'
import type { SyncService } from './sync-service'

export const syncOperations = [
  'getSyncStatus',
  'reportNetworkHint',
  'listDeadLetters',
  'retryDeadLetter',
  'discardDeadLetter',
  'reconcile',
] as const

export function createSyncHandlers(deps: {
  sync: SyncService
  admin: AdminGuard
  platform: KioskPlatform
}): DomainHandlers<typeof syncOperations> {
  const { sync, admin, platform } = deps
  const notDead = () =>
    new ClockfaceError(ErrorCode.PunchUnknown, 'That punch is not a dead letter.')
  return {
    getSyncStatus: () => sync.status(),
    reportNetworkHint: () => {
      sync.networkHint()
      return null
    },
    listDeadLetters: (_, caller) => {
      admin.require(caller, 'uploads')
      return sync.outbox.deadLetters()
    },
    retryDeadLetter: ({ punchId }, caller) => {
      const actor = admin.require(caller, 'uploads')
      if (!sync.retryDeadLetter(punchId, actor.id, platform.now())) throw notDead()
      return null
    },
    discardDeadLetter: ({ punchId, reason }, caller) => {
      const actor = admin.require(caller, 'uploads')
      if (!sync.outbox.discard(punchId, actor.id, reason, platform.now())) throw notDead()
      return null
    },
    reconcile: async (days, caller) => {
      const actor = admin.require(caller, 'reconcile')
      return sync.reconcile(days, actor.id)
    },
  }
}
