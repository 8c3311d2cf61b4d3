/**
 * The Odoo connector against the fake Odoo, over JSON-2 and XML-RPC alike: punches become
 * hr.attendance records in naive UTC, people map by barcode, pin or id, duplicates and replays
 * create nothing twice, Odoo's refusals come back in its own words, corrections move records.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeOdoo, type FakeOdoo } from './fake-odoo'
import { connectorFor, correction, out, punch, type Protocol } from './punches'

let odoo: FakeOdoo
let ada: number
beforeEach(async () => {
  odoo = await startFakeOdoo()
  ada = odoo.records.addEmployee({ name: 'Ada Lovelace', barcode: '10001', pin: '4321' })
  odoo.records.addEmployee({ name: 'Gone Person', barcode: '10009', active: false })
})
afterEach(() => odoo.close())

const held = () =>
  odoo.records.attendances.map(({ employee_id, check_in, check_out }) => ({
    employee_id,
    check_in,
    check_out,
  }))

describe.each<Protocol>(['json2', 'xmlrpc'])('Odoo connector over %s', (protocol) => {
  const connector = (settings = {}) => connectorFor(odoo, protocol, settings)

  it('stores punches as naive UTC across a DST change of the site zone', async () => {
    // Berlin moved from +01:00 to +02:00 at 02:00 on 29 March 2026.
    const before = punch('10001', 'in', '2026-03-28T08:30:00+01:00')
    const beforeOut = punch('10001', 'out', '2026-03-28T17:00:00.750+01:00')
    const after = punch('10001', 'in', '2026-03-30T08:30:00+02:00')
    const results = await connector().upload(out(before, beforeOut, after))
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created'])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-28 07:30:00', check_out: '2026-03-28 16:00:00' },
      { employee_id: ada, check_in: '2026-03-30 06:30:00', check_out: false },
    ])
  })

  it('counts a punch Odoo already holds as a duplicate and creates nothing twice', async () => {
    const c = connector()
    const batch = out(
      punch('10001', 'in', '2026-03-02T09:00:00+01:00'),
      punch('10001', 'out', '2026-03-02T18:00:00+01:00'),
    )
    expect((await c.upload(batch)).map((r) => r.status)).toEqual(['created', 'created'])
    expect((await c.upload(batch)).map((r) => r.status)).toEqual(['duplicate', 'duplicate'])
    expect(odoo.records.attendances).toHaveLength(1)
  })

  it('after a lost reply, the replay finds what landed and counts it done', async () => {
    const c = connector()
    const inPunch = punch('10001', 'in', '2026-03-02T09:00:00+01:00')
    const outPunch = punch('10001', 'out', '2026-03-02T18:00:00+01:00')
    odoo.loseReplyOf('hr.attendance', 'create')
    const first = await c.upload(out(inPunch, outPunch))
    expect(first.map((r) => r.status)).toEqual(['retry', 'retry'])
    expect(first[0]).toMatchObject({ error: { kind: 'network' } })
    expect((await c.upload(out(inPunch, outPunch))).map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
    ])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:00:00', check_out: '2026-03-02 17:00:00' },
    ])
  })

  it('maps people by barcode, pin or record id, and refuses the unknown and the archived', async () => {
    const at = '2026-03-02T09:00:00Z'
    const byPin = await connector({ employeeField: 'pin' }).upload(out(punch('4321', 'in', at)))
    expect(byPin).toMatchObject([{ status: 'created' }])
    const byId = connector({ employeeField: 'id' })
    const refused = await byId.upload(
      out(punch(String(ada), 'in', at), punch('E-7', 'in', at), punch('999', 'in', at)),
    )
    expect(refused).toMatchObject([
      { status: 'duplicate' },
      { status: 'rejected', reason: '"E-7" is not an Odoo employee record id' },
      { status: 'rejected', reason: 'no Odoo employee has hr.employee id "999"' },
    ])
    const byBarcode = await connector().upload(
      out(punch('10009', 'in', at), punch('55555', 'in', at)),
    )
    expect(byBarcode).toMatchObject([
      {
        status: 'rejected',
        reason: 'the Odoo employee with hr.employee barcode "10009" is archived',
      },
      { status: 'rejected', reason: 'no Odoo employee has hr.employee barcode "55555"' },
    ])
    expect(odoo.records.attendances).toHaveLength(1)
  })

  it('refuses a person archived in Odoo from the next batch on', async () => {
    const c = connector()
    expect(await c.upload(out(punch('10001', 'in', '2026-03-02T09:00:00Z')))).toMatchObject([
      { status: 'created' },
    ])
    odoo.records.employees.find((e) => e.id === ada)!.active = false
    expect(await c.upload(out(punch('10001', 'out', '2026-03-02T17:00:00Z')))).toMatchObject([
      {
        status: 'rejected',
        reason: 'the Odoo employee with hr.employee barcode "10001" is archived',
      },
    ])
  })

  it("refuses what Odoo refuses, in Odoo's own words", async () => {
    const c = connector()
    await c.upload(out(punch('10001', 'in', '2026-03-02T09:00:00Z')))
    const refused = await c.upload(
      out(
        punch('10001', 'in', '2026-03-02T10:00:00Z'),
        punch('10001', 'out', '2026-03-02T08:00:00Z'),
      ),
    )
    expect(refused).toEqual([
      {
        id: expect.any(String),
        status: 'rejected',
        reason:
          "Cannot create new attendance record for Ada Lovelace, the employee hasn't checked out since 03/02/2026 09:00:00 AM",
      },
      {
        id: expect.any(String),
        status: 'rejected',
        reason: 'no open attendance in Odoo to close at 2026-03-02 08:00:00 UTC',
      },
    ])
  })

  it('an out with nothing open is refused, naming the closed record', async () => {
    const c = connector()
    await c.upload(
      out(punch('10001', 'in', '2026-03-02T09:00:00Z'), punch('10001', 'out', '2026-03-02T12:00Z')),
    )
    const [late] = await c.upload(out(punch('10001', 'out', '2026-03-02T13:00:00Z')))
    expect(late).toMatchObject({
      status: 'rejected',
      reason:
        'no open attendance in Odoo to close at 2026-03-02 13:00:00 UTC: the last one, checked in at 2026-03-02 09:00:00, was checked out at 2026-03-02 12:00:00',
    })
  })

  it('amends and voids records by the time of the punch they correct', async () => {
    const c = connector()
    const inPunch = punch('10001', 'in', '2026-03-02T09:00:00Z')
    const outPunch = punch('10001', 'out', '2026-03-02T17:00:00Z')
    await c.upload(out(inPunch, outPunch))
    const amendIn = correction(inPunch, 'amended', '2026-03-02T08:45:00Z')
    expect(await c.upload([amendIn])).toMatchObject([{ status: 'created' }])
    expect(await c.upload([amendIn])).toMatchObject([{ status: 'duplicate' }])
    const tooLate = correction(amendIn.punch, 'amended', '2026-03-02T18:00:00Z')
    expect(await c.upload([tooLate])).toMatchObject([
      { status: 'rejected', reason: '"Check Out" time cannot be earlier than "Check In" time.' },
    ])
    const flip = correction(outPunch, 'amended', '2026-03-02T17:00:00Z', 'in')
    expect(await c.upload([flip])).toMatchObject([
      { status: 'rejected', reason: expect.stringMatching(/void it and add a new punch/) },
    ])
    expect(await c.upload([correction(amendIn.punch, 'voided')])).toMatchObject([
      { status: 'rejected', reason: expect.stringMatching(/void that check-out first/) },
    ])
    const voidOut = correction(outPunch, 'voided')
    expect(await c.upload([voidOut, voidOut])).toMatchObject([
      { status: 'created' },
      { status: 'duplicate' },
    ])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:45:00', check_out: false },
    ])
    expect(await c.upload([correction(amendIn.punch, 'voided')])).toMatchObject([
      { status: 'created' },
    ])
    expect(held()).toEqual([])
  })

  it("holds a person's out back while their in must wait", async () => {
    odoo.answerNext({ status: 503, body: '', headers: { 'Retry-After': '7' } })
    // The first request is the employee lookup over JSON-2, the login over XML-RPC: both fail.
    await expect(
      connector().upload(out(punch('10001', 'in', '2026-03-02T09:00:00Z'))),
    ).rejects.toMatchObject({
      kind: 'unavailable',
      retryAfterMs: 7000,
    })
    const c = connector()
    odoo.answerCall('hr.attendance', 'search_read', { status: 500, body: '{}' })
    const results = await c.upload(
      out(
        punch('10001', 'in', '2026-03-02T09:00:00Z'),
        punch('10001', 'out', '2026-03-02T17:00:00Z'),
      ),
    )
    expect(results).toMatchObject([
      { status: 'retry', error: { kind: 'server' } },
      { status: 'retry' },
    ])
    expect(odoo.records.attendances).toHaveLength(0)
  })
})
