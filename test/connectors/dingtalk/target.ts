/** DingTalk as a system under test for the shared connector checks: the fake on 127.0.0.1. */
import type { ConnectorTarget } from '../target'
import { FakeDingtalk } from './fake-dingtalk'

export const dingtalkTarget: ConnectorTarget = {
  kind: 'dingtalk',
  label: 'fake DingTalk',
  perPunch: true,
  refusals: true,
  async start(_dir, staff, zone) {
    const fake = await new FakeDingtalk(
      staff.map((p) => p.id),
      zone,
    ).start()
    return {
      url: fake.url,
      crm: (url) => ({
        kind: 'dingtalk',
        url,
        dingtalk: { appKey: fake.appKey, appSecret: fake.appSecret },
      }),
      // No direction is held: the system decides in and out by its own schedule.
      held: async () =>
        fake.records
          .map((r) => ({ employeeId: r.userId, at: r.userCheckTime }))
          .sort((a, b) => a.at - b.at),
      refuse: async (id) => {
        fake.users.delete(id)
      },
      refusedReason: /33012.*无效的USERID/,
      stop: () => fake.stop(),
    }
  },
}
