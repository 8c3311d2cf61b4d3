/** The fake Frappe HR site as a system under the shared connector checks. */
import type { ConnectorTarget } from '../target'
import { startFakeFrappe } from './fake-frappe'

export const frappeTarget: ConnectorTarget = {
  kind: 'frappe',
  label: 'fake Frappe HR (employee_checkin.py)',
  perPunch: true,
  refusals: true,
  async start(_dir, staff, zone) {
    const site = await startFakeFrappe({ zone, staff })
    return {
      url: site.url,
      crm: (url) => ({
        kind: 'frappe',
        url,
        frappe: { apiKey: site.apiKey, apiSecret: site.apiSecret, badgeField: 'badge_number' },
      }),
      async held() {
        const byName = new Map(site.employees.map((e) => [e.name, e.attendance_device_id]))
        return site.checkins
          .map((c) => ({
            employeeId: byName.get(c.employee)!,
            at: site.instantOf(c),
            type: c.log_type === 'OUT' ? ('out' as const) : ('in' as const),
          }))
          .sort((a, b) => a.at - b.at)
      },
      refuse: async (employeeId) => site.setStatus(employeeId, 'Inactive'),
      refusedReason: /^Transactions cannot be created for an Inactive Employee HR-EMP-\d{5}\.$/,
      stop: () => site.stop(),
    }
  },
}
