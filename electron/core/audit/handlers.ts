/** The `audit:` operations: the trail of every admin action, correction, erasure and unlock. */
import type { AdminGuard } from '../admin/admin-session'
import type { Config } from '../config/config'
import type { DomainHandlers } from '../gate'
import type { Store } from '../store/types'
import { auditCsv, readAudit } from './audit-log'

export const auditOperations = ['listAudit', 'exportAudit'] as const

export function createAuditHandlers(deps: {
  store: Store
  config: Config
  admin: AdminGuard
  now: () => number
}): DomainHandlers<typeof auditOperations> {
  const { store, config, admin } = deps
  return {
    listAudit: ({ before, limit, ...filter }, caller) => {
      admin.require(caller, 'view')
      return readAudit(store, config.timeZone, filter, { before, limit })
    },
    exportAudit: (filter, caller) => {
      admin.require(caller, 'view')
      const stamp = new Date(deps.now()).toISOString().slice(0, 10)
      return {
        fileName: `clockface-audit-${stamp}.csv`,
        csv: auditCsv(store, config.timeZone, filter),
      }
    },
  }
}
