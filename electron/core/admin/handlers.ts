/** The `admin:` operations: opening and closing admin mode, for the calling screen only. */
import type { DomainHandlers } from '../gate'
import type { AdminSession } from './admin-session'

export const adminOperations = ['unlockAdmin', 'lockAdmin'] as const

export function createAdminHandlers(deps: {
  admin: AdminSession
}): DomainHandlers<typeof adminOperations> {
  const { admin } = deps
  return {
    unlockAdmin: ({ pin, badge }, caller) =>
      admin.unlock(badge === undefined ? { pin } : { pin, badge }, caller),
    lockAdmin: (_, caller) => {
      admin.lock(caller)
      return null
    },
  }
}
