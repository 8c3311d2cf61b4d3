/**
 * The Odoo connector against the real Odoo 19 (../shared/servers/odoo19): punches arrive as
 * hr.attendance records with the right UTC times, an out closes the open record, a replay
 * creates nothing twice, and a punch Odoo refuses lands in a real kiosk's dead letters with
 * Odoo's own message. Skipped where the kit is absent, except in CI, where that fails.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPin } from '../../../electron/core/roster/pin'
import { Roster } from '../../../electron/core/roster/roster'
import { call, openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'
import { connectorFor, out, punch } from './punches'
import { hasOdooKit, json2, releaseRealOdoo, useRealOdoo, type RealOdoo } from './real-odoo'

it.runIf(!hasOdooKit && process.env.CI === 'true')('CI has the real Odoo kit', () => {
  expect(hasOdooKit, '../shared/servers/odoo19 is missing').toBe(true)
})

describe.skipIf(!hasOdooKit)('the real Odoo 19', () => {
  let odoo: RealOdoo
  const tag = randomUUID().slice(0, 8)
  const people: Record<string, number> = {}
  const barcode = (who: string) => `${who}${tag}`

  beforeAll(async () => {
    odoo = await useRealOdoo()
    const names = ['dst', 'replay', 'xml', 'refused', 'kiosk', 'long', 'mate', 'atomic']
    const ids = (await json2(odoo, 'hr.employee', 'create', {
      vals_list: names.map((who) => ({ name: `Real ${who} ${tag}`, barcode: barcode(who) })),
    })) as number[]
    names.forEach((who, i) => (people[who] = ids[i]!))
  }, 1_200_000)
  afterAll(() => releaseRealOdoo(), 120_000)

  const records = async (who: string) =>
    (await json2(odoo, 'hr.attendance', 'search_read', {
      domain: [['employee_id', '=', people[who]]],
      fields: ['check_in', 'check_out'],
      order: 'check_in asc',
    })) as { check_in: string; check_out: string | false }[]
  const json2Connector = () => connectorFor({ ...odoo, login: 'admin' }, 'json2')

  it('stores punches in UTC across a DST change, and an out closes the open record', async () => {
    const c = json2Connector()
    const results = await c.upload(
      out(
        punch(barcode('dst'), 'in', '2026-03-28T08:30:00+01:00'),
        punch(barcode('dst'), 'out', '2026-03-28T17:00:00+01:00'),
        punch(barcode('dst'), 'in', '2026-03-30T08:30:00+02:00'),
        punch(barcode('dst'), 'out', '2026-03-30T17:15:00+02:00'),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created'])
    expect(await records('dst')).toEqual([
      { id: expect.any(Number), check_in: '2026-03-28 07:30:00', check_out: '2026-03-28 16:00:00' },
      { id: expect.any(Number), check_in: '2026-03-30 06:30:00', check_out: '2026-03-30 15:15:00' },
    ])
  })

  it('a replay after an unknown outcome creates nothing twice', async () => {
    const c = json2Connector()
    const batch = out(
      punch(barcode('replay'), 'in', '2026-04-01T09:00:00+02:00'),
      punch(barcode('replay'), 'out', '2026-04-01T18:00:00+02:00'),
    )
    expect((await c.upload(batch.slice(0, 1))).map((r) => r.status)).toEqual(['created'])
    // The reply to that create "was lost": the uploader sends the whole batch again.
    expect((await c.upload(batch)).map((r) => r.status)).toEqual(['duplicate', 'created'])
    expect((await c.upload(batch)).map((r) => r.status)).toEqual(['duplicate', 'duplicate'])
    expect(await records('replay')).toHaveLength(1)
  })

  it("over XML-RPC too, and Odoo's refusals come back in its own words", async () => {
    const c = connectorFor({ ...odoo, login: 'admin' }, 'xmlrpc')
    const first = punch(barcode('xml'), 'in', '2026-04-02T07:00:00Z')
    expect(await c.upload(out(first, first))).toMatchObject([
      { status: 'created' },
      { status: 'duplicate' },
    ])
    const [second] = await c.upload(out(punch(barcode('xml'), 'in', '2026-04-02T08:00:00Z')))
    expect(second).toMatchObject({
      status: 'rejected',
      reason: `Cannot create new attendance record for Real xml ${tag}, the employee hasn't checked out since 04/02/2026 07:00:00 AM`,
    })
    const [amended] = await c.upload([
      {
        punch: punch(barcode('xml'), 'in', '2026-04-02T06:45:00Z', {
          correction: {
            kind: 'amended',
            supersedes: first.id,
            reason: 'late badge',
            enteredBy: 'a',
            enteredAt: '2026-04-02T09:00:00Z',
          },
        }),
        supersedes: first,
      },
    ])
    expect(amended).toMatchObject({ status: 'created' })
    expect(await records('xml')).toMatchObject([
      { check_in: '2026-04-02 06:45:00', check_out: false },
    ])
  })

  it('a record Odoo refuses in a batch is refused alone; the rest of the batch lands', async () => {
    // Entered in Odoo by hand, longer than the day the kiosk looks back over.
    await json2(odoo, 'hr.attendance', 'create', {
      vals_list: [
        {
          employee_id: people.long,
          check_in: '2026-04-10 08:00:00',
          check_out: '2026-04-20 08:00:00',
        },
      ],
    })
    const results = await json2Connector().upload(
      out(
        punch(barcode('mate'), 'in', '2026-04-15T08:00:00Z'),
        punch(barcode('long'), 'in', '2026-04-15T08:01:00Z'),
        punch(barcode('mate'), 'out', '2026-04-15T16:00:00Z'),
      ),
    )
    expect(results).toMatchObject([
      { status: 'created' },
      {
        status: 'rejected',
        reason: `Cannot create new attendance record for Real long ${tag}, the employee was already checked in on 04/15/2026 08:01:00 AM`,
      },
      { status: 'created' },
    ])
    expect(await records('mate')).toEqual([
      { id: expect.any(Number), check_in: '2026-04-15 08:00:00', check_out: '2026-04-15 16:00:00' },
    ])
  })

  it('creates several records all or none, checking each against all the others (as the fake does)', async () => {
    await expect(
      json2(odoo, 'hr.attendance', 'create', {
        vals_list: [
          { employee_id: people.atomic, check_in: '2026-04-16 09:00:00' },
          { employee_id: people.atomic, check_in: '2026-04-16 10:00:00' },
        ],
      }),
    ).rejects.toThrow("the employee hasn't checked out since 04/16/2026 10:00:00 AM")
    expect(await records('atomic')).toEqual([])
  })

  it("a punch Odoo refuses lands in a real kiosk's dead letters with Odoo's message", async () => {
    let t: TestKiosk | undefined
    try {
      t = await openTestKiosk(
        {
          crm: {
            kind: 'odoo',
            url: odoo.url,
            odoo: {
              protocol: 'json2',
              database: odoo.db,
              apiKey: odoo.apiKey,
              employeeField: 'barcode',
            },
            retryBaseMs: 20,
            retryCapSeconds: 1,
          },
          attendance: { switchWindowSeconds: 0 },
          adminPinHash: hashPin('2468'),
        } as never,
        Date.now(),
      )
      const k = t.kiosk
      await until(
        () => new Roster(k.store).byBadge(barcode('refused').toUpperCase()) !== undefined,
        'the roster from Odoo',
      )
      // Someone left a record open in Odoo itself: the kiosk's in cannot be a second one.
      await json2(odoo, 'hr.attendance', 'create', {
        vals_list: [{ employee_id: people.refused, check_in: '2026-01-05 08:00:00' }],
      })
      t.clock.now = Date.now()
      await call(k, 'recordBadgePunch', { badge: barcode('refused') })
      await call(k, 'recordBadgePunch', { badge: barcode('kiosk') })
      await until(
        () => k.sync.outbox.depth().deadLetters === 1 && k.sync.outbox.depth().pending === 0,
        'the upload',
      )
      expect(await k.gate('admin:unlock', { pin: '2468' })).toMatchObject({ ok: true })
      expect(await k.gate('sync:dead-letters', undefined)).toMatchObject({
        ok: true,
        value: [
          {
            employeeId: barcode('refused'),
            reason: `Cannot create new attendance record for Real refused ${tag}, the employee hasn't checked out since 01/05/2026 08:00:00 AM`,
          },
        ],
      })
      const [landed] = await records('kiosk')
      expect(
        Math.abs(Date.parse(`${landed!.check_in.replace(' ', 'T')}Z`) - t.clock.now),
      ).toBeLessThan(1000)
    } finally {
      await t?.cleanup()
    }
  })
})

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
