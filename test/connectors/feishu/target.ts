/** Feishu as a system under test for the shared connector checks: the fake on 127.0.0.1. */
import { alternate } from '../dingtalk/platform-fake'
import type { ConnectorTarget } from '../target'
import { FakeFeishu } from './fake-feishu'

export const feishuTarget: ConnectorTarget = {
  kind: 'feishu',
  label: 'fake Feishu',
  perPunch: false,
  async start(_dir, staff, zone) {
    const fake = await new FakeFeishu(staff.map((p) => p.id)).start()
    return {
      url: fake.url,
      crm: (url) => ({
        kind: 'feishu',
        url,
        feishu: { appId: fake.appId, appSecret: fake.appSecret },
      }),
      held: async () =>
        alternate(
          fake.flows.map((f) => ({ employeeId: f.user_id, at: Number(f.check_time) * 1000 })),
          zone,
        ),
      refuse: async (id) => {
        fake.users.delete(id)
      },
      refusedReason: /1220001.*not found/,
      stop: () => fake.stop(),
    }
  },
}
