/**
 * Batches to Odoo: one look for what Odoo already holds, one create for every new record (an
 * in and its out together as one closed record), one write per record an out closes. A record
 * Odoo refuses sends that batch one punch at a time, so only the refused punch is a dead letter.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeRecords } from './fake-odoo-models'
import { startFakeOdoo, type FakeOdoo } from './fake-odoo'
import { connectorFor, correction, out, punch, type Protocol } from './punches'

let odoo: FakeOdoo
let ada: number
let bob: number
let cy: number
beforeEach(async () => {
  odoo = await startFakeOdoo()
  ada = odoo.records.addEmployee({ name: 'Ada Lovelace', barcode: '10001' })
  bob = odoo.records.addEmployee({ name: 'Bob Noyce', barcode: '10002' })
  cy = odoo.records.addEmployee({ name: 'Cy Young', barcode: '10003' })
})
afterEach(() => odoo.close())

const held = () =>
  odoo.records.attendances
    .map(({ employee_id, check_in, check_out }) => ({ employee_id, check_in, check_out }))
    .sort((a, b) => a.employee_id - b.employee_id || (a.check_in < b.check_in ? -1 : 1))
/** The model calls served since `from`, as `model.method`. */
const callsSince = (from: number) =>
  odoo.calls.slice(from).flatMap((c) => (c.model === 'common' ? [] : [`${c.model}.${c.method}`]))

describe.each<Protocol>(['json2', 'xmlrpc'])('Odoo batches over %s', (protocol) => {
  const connector = () => connectorFor(odoo, protocol)

  it('lands a batch of mixed ins and outs in four calls, an in and its out as one record', async () => {
    const c = connector()
    await c.upload(out(punch('10003', 'in', '2026-03-02T07:00:00Z')))
    const from = odoo.calls.length
    const results = await c.upload(
      out(
        punch('10001', 'in', '2026-03-02T08:00:00Z'),
        punch('10002', 'in', '2026-03-02T08:01:00Z'),
        punch('10003', 'out', '2026-03-02T15:00:00Z'),
        punch('10002', 'out', '2026-03-02T16:01:00Z'),
        punch('10002', 'in', '2026-03-02T16:30:00Z'),
      ),
    )
    expect(results.map((r) => r.status)).toEqual([
      'created',
      'created',
      'created',
      'created',
      'created',
    ])
    expect(callsSince(from)).toEqual([
      'hr.employee.search_read',
      'hr.attendance.search_read',
      'hr.attendance.write',
      'hr.attendance.create',
    ])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:00:00', check_out: false },
      { employee_id: bob, check_in: '2026-03-02 08:01:00', check_out: '2026-03-02 16:01:00' },
      { employee_id: bob, check_in: '2026-03-02 16:30:00', check_out: false },
      { employee_id: cy, check_in: '2026-03-02 07:00:00', check_out: '2026-03-02 15:00:00' },
    ])
  })

  it('a record Odoo refuses sends the batch one at a time: it alone is a dead letter', async () => {
    // Entered in Odoo by hand, longer than any shift the kiosk looks back over.
    odoo.records.attendances.push({
      id: 900,
      employee_id: bob,
      check_in: '2026-02-20 08:00:00',
      check_out: '2026-03-05 08:00:00',
    })
    const results = await connector().upload(
      out(
        punch('10001', 'in', '2026-03-02T08:00:00Z'),
        punch('10002', 'in', '2026-03-02T08:01:00Z'),
        punch('10003', 'in', '2026-03-02T08:02:00Z'),
        punch('10003', 'out', '2026-03-02T16:02:00Z'),
      ),
    )
    expect(results).toMatchObject([
      { status: 'created' },
      {
        status: 'rejected',
        reason:
          'Cannot create new attendance record for Bob Noyce, the employee was already checked in on 03/02/2026 08:01:00 AM',
      },
      { status: 'created' },
      { status: 'created' },
    ])
    expect(held().filter((r) => r.employee_id !== bob)).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:00:00', check_out: false },
      { employee_id: cy, check_in: '2026-03-02 08:02:00', check_out: '2026-03-02 16:02:00' },
    ])
  })

  it('a check-out Odoo refuses is a dead letter in its words; the rest of the batch lands', async () => {
    const c = connector()
    await c.upload(out(punch('10001', 'in', '2026-03-02T08:00:00Z')))
    const message =
      'Cannot create new attendance record for Ada Lovelace, the employee was already checked in on 03/02/2026 08:00:00 AM'
    odoo.answerCall(
      'hr.attendance',
      'write',
      protocol === 'json2'
        ? {
            status: 422,
            body: JSON.stringify({ name: 'odoo.exceptions.ValidationError', message }),
          }
        : {
            status: 200,
            type: 'text/xml',
            body: `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>2</int></value></member><member><name>faultString</name><value><string>${message}</string></value></member></struct></value></fault></methodResponse>`,
          },
      2,
    )
    const results = await c.upload(
      out(punch('10001', 'out', '2026-03-02T16:00:00Z'), punch('10002', 'in', '2026-03-02T08:01Z')),
    )
    expect(results).toMatchObject([{ status: 'rejected', reason: message }, { status: 'created' }])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:00:00', check_out: false },
      { employee_id: bob, check_in: '2026-03-02 08:01:00', check_out: false },
    ])
  })

  it("a correction goes one punch at a time with its person's punches; the rest in the batch", async () => {
    const c = connector()
    const bobIn = punch('10002', 'in', '2026-03-02T08:00:00Z')
    await c.upload(out(bobIn))
    const results = await c.upload([
      ...out(punch('10001', 'in', '2026-03-02T08:05:00Z')),
      correction(bobIn, 'amended', '2026-03-02T07:55:00Z'),
      ...out(punch('10002', 'out', '2026-03-02T16:00:00Z')),
    ])
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created'])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:05:00', check_out: false },
      { employee_id: bob, check_in: '2026-03-02 07:55:00', check_out: '2026-03-02 16:00:00' },
    ])
  })

  it('after the reply to its create is lost, the replay creates nothing twice', async () => {
    const c = connector()
    const batch = out(
      punch('10001', 'in', '2026-03-02T08:00:00Z'),
      punch('10001', 'out', '2026-03-02T16:00:00Z'),
      punch('10002', 'in', '2026-03-02T08:01:00Z'),
    )
    odoo.loseReplyOf('hr.attendance', 'create')
    const lost = await c.upload(batch)
    expect(lost.map((r) => r.status)).toEqual(['retry', 'retry', 'retry'])
    expect(lost[0]).toMatchObject({ error: { kind: 'network' } })
    const from = odoo.calls.length
    const replay = await c.upload(batch)
    expect(replay.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate'])
    expect(callsSince(from)).not.toContain('hr.attendance.create')
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:00:00', check_out: '2026-03-02 16:00:00' },
      { employee_id: bob, check_in: '2026-03-02 08:01:00', check_out: false },
    ])
  })

  it('an out in a later batch closes the record, even days later, and a lost write is safe', async () => {
    const c = connector()
    await c.upload(
      out(
        punch('10001', 'in', '2026-03-02T08:00:00Z'),
        punch('10002', 'in', '2026-03-02T08:01Z'),
        punch('10003', 'in', '2026-03-02T08:02Z'),
      ),
    )
    const closing = out(
      punch('10001', 'out', '2026-03-02T16:00:00Z'),
      punch('10002', 'out', '2026-03-02T17:00:00Z'),
    )
    odoo.loseReplyOf('hr.attendance', 'write')
    const lost = await c.upload(closing)
    // The two check-outs go at once: the other one's answer came back.
    expect(lost.map((r) => r.status).sort()).toEqual(['created', 'retry'])
    expect((await c.upload(closing)).map((r) => r.status)).toEqual(['duplicate', 'duplicate'])
    const late = out(punch('10003', 'out', '2026-03-04T09:00:00Z'))
    expect((await c.upload(late)).map((r) => r.status)).toEqual(['created'])
    expect((await c.upload(late)).map((r) => r.status)).toEqual(['duplicate'])
    expect(held()).toEqual([
      { employee_id: ada, check_in: '2026-03-02 08:00:00', check_out: '2026-03-02 16:00:00' },
      { employee_id: bob, check_in: '2026-03-02 08:01:00', check_out: '2026-03-02 17:00:00' },
      { employee_id: cy, check_in: '2026-03-02 08:02:00', check_out: '2026-03-04 09:00:00' },
    ])
  })
})

describe("the fake Odoo's create of several records", () => {
  it('is all or nothing, with the first invalid record named, and uses up every id', () => {
    const records = new FakeRecords()
    const e = records.addEmployee({ name: 'Ada' })
    expect(() =>
      records.createAttendances(
        [
          { employee_id: e, check_in: '2026-03-02 08:00:00', check_out: '2026-03-02 12:00:00' },
          { employee_id: e, check_in: '2026-03-02 11:00:00' },
          { employee_id: e, check_in: '2026-03-02 13:00:00' },
        ],
        2,
      ),
    ).toThrow('the employee was already checked in on 03/02/2026 11:00:00 AM')
    expect(records.attendances).toEqual([])
    expect(
      records.createAttendances([{ employee_id: e, check_in: '2026-03-02 08:00:00' }], 2),
    ).toEqual([4])
  })

  it('checks every record against all the others it creates, as Odoo does after inserting them', () => {
    const records = new FakeRecords()
    const e = records.addEmployee({ name: 'Ada' })
    // Odoo inserts them all, then checks each in turn against all the others: the first is
    // the first found invalid, naming the second as the open one.
    expect(() =>
      records.createAttendances(
        [
          { employee_id: e, check_in: '2026-03-02 09:00:00' },
          { employee_id: e, check_in: '2026-03-02 10:00:00' },
        ],
        2,
      ),
    ).toThrow("the employee hasn't checked out since 03/02/2026 10:00:00 AM")
  })
})
