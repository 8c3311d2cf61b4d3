/** The `admin:` operations: opening and closing admin mode, for the calling screen only. */
import type { DomainHandlers } from '../gate'
import type { AdminSession } from './admin-session'

export const adminOperations = ['unlockAdmin', 'lockAdmin'] as const

export function createAdminHandlers(deps: {
  admin: AdminSession
}): DomainHandlers<typeof adminOperations> {
  const { admin } = deps
  return {
    unlockAdmin: ({ pin }, caller) => admin.unlock(pin, caller),
    lockAdmin: (_, caller) => {
      admin.lock(caller)
      return null
    },
  }
}
