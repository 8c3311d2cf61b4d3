/** The fake Odoo target holds what the connector sent and refuses whom it is told to. */
import { expect, it } from 'vitest'
import { odooConnector } from '../../../electron/core/connectors/odoo/connector'
import type { OdooSettings } from '../../../electron/core/connectors/odoo/settings'
import { out, punch } from './punches'
import { fakeOdooTarget } from './target'

it('holds punches by kiosk id and instant, and refuses an archived person in its words', async () => {
  const staff = [
    { id: '1001', name: 'Ada', badge: '51001' },
    { id: '1002', name: 'Bob', badge: '51002' },
  ]
  const system = await fakeOdooTarget.start('', staff, 'Europe/Berlin')
  try {
    const crm = system.crm(system.url) as { url: string; odoo: OdooSettings }
    const c = odooConnector({ ...crm.odoo, login: null }, crm.url, { timeoutMs: 5000 })
    await c.upload(
      out(
        punch('1001', 'in', '2026-03-29T09:00:00+02:00'),
        punch('1001', 'out', '2026-03-29T17:00:00+02:00'),
      ),
    )
    expect(await system.held()).toEqual([
      { employeeId: '1001', at: Date.parse('2026-03-29T07:00:00Z'), type: 'in' },
      { employeeId: '1001', at: Date.parse('2026-03-29T15:00:00Z'), type: 'out' },
    ])
    await system.refuse!('1002')
    const [refused] = await c.upload(out(punch('1002', 'in', '2026-03-29T09:00:00+02:00')))
    expect(refused).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(system.refusedReason!),
    })
  } finally {
    await system.stop()
  }
})
