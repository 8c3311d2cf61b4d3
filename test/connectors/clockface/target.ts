/** Clockface's own contract, served by the reference CRM, as a system under the shared checks. */
import { join } from 'node:path'
import { startReferenceCrm } from '../../crm/reference-server'
import type { ConnectorTarget } from '../target'

const token = 'conformance-device-token'

export const clockfaceTarget: ConnectorTarget = {
  kind: 'clockface',
  label: 'the reference CRM (crm-api.yaml)',
  perPunch: false,
  refusals: true,
  async start(dir, staff) {
    const crm = await startReferenceCrm({ dataDir: join(dir, 'reference-crm'), tokens: [token] })
    for (const person of staff) {
      await crm.upsertEmployee({
        id: person.id,
        name: person.name,
        active: true,
        badges: [person.badge],
      })
    }
    return {
      url: crm.url,
      crm: (url) => ({ kind: 'clockface', url, deviceToken: token }),
      async held() {
        return crm
          .punches()
          .map(({ punch }) => ({
            employeeId: punch.employeeId,
            at: Date.parse(punch.occurredAt),
            type: punch.type,
          }))
          .sort((a, b) => a.at - b.at)
      },
      async refuse(employeeId) {
        const person = staff.find((p) => p.id === employeeId)!
        await crm.upsertEmployee({ id: person.id, name: person.name, active: false })
      },
      refusedReason: /^inactive_employee$/,
      stop: () => crm.stop(),
    }
  },
}
