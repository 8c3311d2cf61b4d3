/** The `admin:` operations: opening and closing admin mode. */
import type { DomainHandlers } from '../gate'
import type { AdminSession } from './admin-session'

export const adminOperations = ['unlockAdmin', 'lockAdmin'] as const

export function createAdminHandlers(deps: {
  admin: AdminSession
}): DomainHandlers<typeof adminOperations> {
  const { admin } = deps
  return {
    unlockAdmin: ({ pin }) => admin.unlock(pin),
    lockAdmin: () => {
      admin.lock()
      return null
    },
  }
}
