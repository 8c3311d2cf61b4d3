/** The fake ADMS server as a system under the shared connector checks; the kiosk is one terminal. */
import type { ConnectorTarget } from '../target'
import { startFakeAdms } from './fake-adms'

const serialNumber = 'CFK-TEST-0001'

export const zktecoAdmsTarget: ConnectorTarget = {
  kind: 'zkteco-adms',
  label: 'fake ZKTeco ADMS server (PUSH protocol)',
  perPunch: false,
  // The protocol has no refusal of a punch: the server takes every line or the whole request.
  refusals: false,
  async start(_dir, _staff, zone) {
    const server = await startFakeAdms({ zone, terminals: [serialNumber] })
    return {
      url: server.url,
      crm: (url) => ({ kind: 'zkteco-adms', url, zktecoAdms: { serialNumber } }),
      async held() {
        return server.records
          .filter((r) => r.sn === serialNumber)
          .map((r) => ({
            employeeId: r.pin,
            at: server.instantOf(r),
            type: r.status === 1 ? ('out' as const) : ('in' as const),
          }))
          .sort((a, b) => a.at - b.at)
      },
      stop: () => server.stop(),
    }
  },
}
