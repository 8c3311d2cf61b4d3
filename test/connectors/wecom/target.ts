/** WeCom as a system under test for the shared connector checks: the fake on 127.0.0.1. */
import type { ConnectorTarget } from '../target'
import { FakeWecom } from './fake-wecom'

export const wecomTarget: ConnectorTarget = {
  kind: 'wecom',
  label: 'fake WeCom',
  perPunch: false,
  refusals: true,
  async start(_dir, staff) {
    const fake = await new FakeWecom(staff.map((p) => p.id)).start()
    return {
      url: fake.url,
      crm: (url) => ({
        kind: 'wecom',
        url,
        wecom: { corpId: fake.corpId, corpSecret: fake.corpSecret },
      }),
      // No direction is held: the system decides in and out by its own schedule.
      held: async () =>
        fake.records
          .map((r) => ({ employeeId: r.userid, at: r.checkin_time * 1000 }))
          .sort((a, b) => a.at - b.at),
      refuse: async (id) => {
        fake.users.delete(id)
      },
      refusedReason: /60111.*userid not found/,
      stop: () => fake.stop(),
    }
  },
}
