/**
 * Odoo as a system under test for the shared connector checks and the drain benchmark: the
 * fake Odoo (fast) and the real Odoo 19 (decides). Both are set up the same way, through
 * JSON-2 calls as Odoo's admin: one hr.employee per person, the kiosk id as its PIN (the
 * connector's `employeeField`) and the kiosk badge as its Badge ID (which the roster lists).
 */
import { fromOdooTime } from '../../../electron/core/connectors/odoo/odoo-time'
import type { ConnectorTarget, HeldPunch, TargetPerson, TargetSystem } from '../target'
import { startFakeOdoo } from './fake-odoo'
import { json2, releaseRealOdoo, useRealOdoo, type RealOdoo } from './real-odoo'

type Admin = Pick<RealOdoo, 'url' | 'db' | 'apiKey'>

async function odooSystem(
  admin: Admin,
  staff: readonly TargetPerson[],
  zone: string,
  stop: () => Promise<void>,
): Promise<TargetSystem> {
  // Earlier runs on the same database may hold these badges (unique) and PINs: free them.
  const taken = (await json2(admin, 'hr.employee', 'search_read', {
    domain: [
      '|',
      ['barcode', 'in', staff.map((person) => person.badge)],
      ['pin', 'in', staff.map((person) => person.id)],
    ],
    fields: ['id'],
    context: { active_test: false },
  })) as { id: number }[]
  if (taken.length > 0) {
    const ids = taken.map((e) => e.id)
    await json2(admin, 'hr.employee', 'write', { ids, vals: { barcode: false, pin: false } })
  }
  const ids = (await json2(admin, 'hr.employee', 'create', {
    vals_list: staff.map((p) => ({ name: p.name, pin: p.id, barcode: p.badge, tz: zone })),
  })) as number[]
  const kioskIdOf = new Map(ids.map((id, i) => [id, staff[i]!.id]))
  return {
    url: admin.url,
    crm: (url) => ({
      kind: 'odoo',
      url,
      odoo: {
        protocol: 'json2',
        database: admin.db,
        apiKey: admin.apiKey,
        employeeField: 'pin',
      },
    }),
    async held() {
      const rows = (await json2(admin, 'hr.attendance', 'search_read', {
        domain: [['employee_id', 'in', ids]],
        fields: ['employee_id', 'check_in', 'check_out'],
      })) as { employee_id: [number, string]; check_in: string; check_out: string | false }[]
      const punches: HeldPunch[] = rows.flatMap((row) => {
        const employeeId = kioskIdOf.get(row.employee_id[0])!
        const held: HeldPunch[] = [{ employeeId, at: fromOdooTime(row.check_in), type: 'in' }]
        if (row.check_out) held.push({ employeeId, at: fromOdooTime(row.check_out), type: 'out' })
        return held
      })
      return punches.sort((a, b) => a.at - b.at)
    },
    async refuse(employeeId) {
      const id = [...kioskIdOf].find(([, kioskId]) => kioskId === employeeId)?.[0]
      if (id === undefined) throw new Error(`${employeeId} is not in this Odoo's staff`)
      await json2(admin, 'hr.employee', 'write', { ids: [id], vals: { active: false } })
    },
    refusedReason: /is archived/,
    stop,
  }
}

/** The fake Odoo 19 over JSON-2, on 127.0.0.1. */
export const fakeOdooTarget: ConnectorTarget = {
  kind: 'odoo',
  label: 'fake Odoo 19 (JSON-2)',
  perPunch: false,
  refusals: true,
  async start(_dir, staff, zone) {
    const fake = await startFakeOdoo()
    return odooSystem({ url: fake.url, db: fake.db, apiKey: fake.apiKey }, staff, zone, () =>
      fake.close(),
    )
  },
}

/** The real Odoo 19 from ../shared/servers/odoo19, shared by every file of the run. */
export const realOdooTarget: ConnectorTarget = {
  kind: 'odoo',
  label: 'real Odoo 19',
  perPunch: false,
  refusals: true,
  async start(_dir, staff, zone) {
    const odoo = await useRealOdoo()
    return odooSystem(odoo, staff, zone, releaseRealOdoo)
  },
}
