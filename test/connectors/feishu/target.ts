/** Feishu as a system under test for the shared connector checks: the fake on 127.0.0.1. */
import type { ConnectorTarget } from '../target'
import { FakeFeishu } from './fake-feishu'

export const feishuTarget: ConnectorTarget = {
  kind: 'feishu',
  label: 'fake Feishu',
  perPunch: false,
  refusals: true,
  async start(_dir, staff) {
    const fake = await new FakeFeishu(staff.map((p) => p.id)).start()
    return {
      url: fake.url,
      crm: (url) => ({
        kind: 'feishu',
        url,
        feishu: { appId: fake.appId, appSecret: fake.appSecret },
      }),
      // No direction is held: the system decides in and out by its own schedule.
      held: async () =>
        fake.flows
          .map((f) => ({ employeeId: f.user_id, at: Number(f.check_time) * 1000 }))
          .sort((a, b) => a.at - b.at),
      refuse: async (id) => {
        fake.users.delete(id)
      },
      refusedReason: /1220001.*not found/,
      stop: () => fake.stop(),
    }
  },
}
