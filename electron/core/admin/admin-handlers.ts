/** The admin-mode operations of the contract: every one requires an open admin session. */
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { Handlers } from '../gate'
import type { KioskPlatform } from '../kiosk'
import type { SyncService } from '../sync/sync-service'
import type { AdminSession } from './admin-session'

type AdminOperations =
  'unlockAdmin' | 'lockAdmin' | 'listDeadLetters' | 'retryDeadLetter' | 'discardDeadLetter'

export function createAdminHandlers(deps: {
  admin: AdminSession
  sync: SyncService
  platform: KioskPlatform
}): Pick<Handlers, AdminOperations> {
  const { admin, sync, platform } = deps
  const notDead = () =>
    new ClockfaceError(ErrorCode.PunchUnknown, 'That punch is not a dead letter.')
  return {
    unlockAdmin: ({ pin }) => admin.unlock(pin),
    lockAdmin: () => {
      admin.lock()
      return null
    },
    listDeadLetters: () => {
      admin.require()
      return sync.outbox.deadLetters()
    },
    retryDeadLetter: ({ punchId }) => {
      admin.require()
      if (!sync.outbox.retry(punchId, 'admin', platform.now())) throw notDead()
      sync.punchRecorded()
      return null
    },
    discardDeadLetter: ({ punchId, reason }) => {
      admin.require()
      if (!sync.outbox.discard(punchId, 'admin', reason, platform.now())) throw notDead()
      return null
    },
  }
}
