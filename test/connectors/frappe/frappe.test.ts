import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connector, UploadOutcome } from '../../../electron/core/connectors/connector'
import { frappeConnector } from '../../../electron/core/connectors/frappe/frappe'
import { frappeSettings } from '../../../electron/core/connectors/frappe/settings'
import { CrmError } from '../../../electron/core/connectors/http'
import { startFakeFrappe, type FakeFrappe } from './fake-frappe'
import { contextFor, punchAt } from './punches'

const ZONE = 'Europe/Berlin'
const staff = [
  { id: 'E1', name: 'Ada Lovelace' },
  { id: 'E2', name: 'Grace Hopper' },
]
let site: FakeFrappe

beforeEach(async () => {
  site = await startFakeFrappe({ zone: ZONE, staff })
})
afterEach(() => site.stop())

function connect(overrides: Record<string, unknown> = {}, url = site.url): Connector {
  const settings = frappeSettings.parse({
    apiKey: site.apiKey,
    apiSecret: site.apiSecret,
    ...overrides,
  })
  return frappeConnector(
    url,
    { ...settings, apiKey: settings.apiKey!, apiSecret: settings.apiSecret! },
    contextFor(ZONE),
  )
}

const statuses = (outcomes: UploadOutcome[]) => outcomes.map((o) => o.status)
const retryError = (outcome: UploadOutcome | undefined): CrmError => {
  if (outcome?.status !== 'retry') throw new Error(`expected retry, got ${outcome?.status}`)
  return outcome.error
}

describe('Frappe HR connector: times and identities', () => {
  it('sends naive wall times in the site zone, across both DST changes of the year', async () => {
    const connector = connect()
    const outcomes = await connector.upload([
      punchAt('E1', '2026-03-29T00:30:00Z'), // 01:30 CET, before the spring jump
      punchAt('E1', '2026-03-29T01:30:15Z', 'out'), // 03:30:15 CEST, after it
      punchAt('E2', '2026-10-25T08:57:09+08:00'), // 00:57:09Z = 02:57:09 CEST, first pass
      punchAt('E2', '2026-10-25T01:57:09Z', 'out'), // 02:57:09 CET, the repeated hour
      punchAt('E1', '2026-10-25T03:00:00.900Z'), // 04:00:00 CET, fraction dropped
    ])
    expect(statuses(outcomes)).toEqual(['created', 'created', 'created', 'created', 'created'])
    expect(site.checkins.map((c) => [c.employee, c.time, c.log_type, c.device_id])).toEqual([
      ['HR-EMP-00001', '2026-03-29 01:30:00', 'IN', 'lobby-1'],
      ['HR-EMP-00001', '2026-03-29 03:30:15', 'OUT', 'lobby-1'],
      ['HR-EMP-00002', '2026-10-25 02:57:09', 'IN', 'lobby-1'],
      ['HR-EMP-00002', '2026-10-25 02:57:09', 'OUT', 'lobby-1'],
      ['HR-EMP-00001', '2026-10-25 04:00:00', 'IN', 'lobby-1'],
    ])
  })

  it('finds the employee by the configured field, with that field named in the call', async () => {
    const connector = connect({ employeeField: 'name' })
    const outcomes = await connector.upload([punchAt('HR-EMP-00002', '2026-05-04T07:00:00Z')])
    expect(statuses(outcomes)).toEqual(['created'])
    expect(site.checkins[0]).toMatchObject({
      employee: 'HR-EMP-00002',
      time: '2026-05-04 09:00:00',
    })
  })

  it('pulls the Employee list page by page, then only what changed', async () => {
    const many = Array.from({ length: 620 }, (_, i) => ({ id: `P${i}`, name: `Person ${i}` }))
    await site.stop()
    site = await startFakeFrappe({ zone: ZONE, staff: many })
    site.employees[3]!.attendance_device_id = ''
    const connector = connect()
    const first = await connector.roster!({})
    expect(first.employees).toHaveLength(499)
    expect(first.employees[0]).toEqual({ id: 'P0', name: 'Person 0', active: true })
    expect(first.hasMore).toBe(true)
    const second = await connector.roster!({ cursor: first.cursor })
    expect(second.employees).toHaveLength(120)
    expect(second.hasMore).toBe(false)
    site.setStatus('P7', 'Left')
    const changes = await connector.roster!({ cursor: second.cursor })
    expect(changes.employees.find((e) => e.id === 'P7')).toEqual({
      id: 'P7',
      name: 'Person 7',
      active: false,
    })
    expect(changes.employees.length).toBeLessThan(5)
  })

  it('lists each person with the badge from the configured Employee field', async () => {
    site.employees[0]!.badge_number = '0042'
    const withBadges = await connect({ badgeField: 'badge_number' }).roster!({})
    expect(withBadges.employees).toEqual([
      { id: 'E1', name: 'Ada Lovelace', active: true, badges: ['0042'] },
      { id: 'E2', name: 'Grace Hopper', active: true, badges: [] },
    ])
    expect(site.requests.at(-1)!.path).toBe('/api/resource/Employee')
  })
})

describe('Frappe HR connector: what Frappe answers', () => {
  it('counts a second log of the same time and type as done, and keeps the other type', async () => {
    const connector = connect()
    const entry = punchAt('E1', '2026-05-04T07:00:00Z')
    expect(statuses(await connector.upload([entry]))).toEqual(['created'])
    const again = { punch: { ...entry.punch, id: crypto.randomUUID() } }
    const out = punchAt('E1', '2026-05-04T07:00:00Z', 'out')
    expect(statuses(await connector.upload([entry, again, out]))).toEqual([
      'duplicate',
      'duplicate',
      'created',
    ])
    expect(site.checkins.map((c) => c.log_type)).toEqual(['IN', 'OUT'])
  })

  it('dead-letters an unknown or inactive employee with Frappe own words', async () => {
    site.setStatus('E2', 'Inactive')
    const outcomes = await connect().upload([
      punchAt('E9', '2026-05-04T07:00:00Z'),
      punchAt('E2', '2026-05-04T07:00:00Z'),
      punchAt('E1', '2026-05-04T07:00:00Z'),
    ])
    expect(outcomes[0]).toMatchObject({
      status: 'rejected',
      reason: "No Employee found for the given employee field value. 'attendance_device_id': E9",
    })
    expect(outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: 'Transactions cannot be created for an Inactive Employee HR-EMP-00002.',
    })
    expect(outcomes[2]!.status).toBe('created')
  })

  it('dead-letters any other validation refusal with its message', async () => {
    site.faults.push({
      status: 417,
      type: 'application/json',
      body: JSON.stringify({
        exc_type: 'ValidationError',
        _server_messages: JSON.stringify([
          JSON.stringify({
            message: 'Latitude and longitude values are required for checking in.',
          }),
        ]),
      }),
    })
    const [outcome] = await connect().upload([punchAt('E1', '2026-05-04T07:00:00Z')])
    expect(outcome).toMatchObject({
      status: 'rejected',
      reason: 'Latitude and longitude values are required for checking in.',
    })
  })

  it('waits, never dead-letters, when the method is not on the site (wrong crm.frappe.app)', async () => {
    const outcomes = await connect({ app: 'erpnext' }).upload([
      punchAt('E1', '2026-05-04T07:00:00Z'),
      punchAt('E2', '2026-05-04T07:00:00Z'),
    ])
    expect(statuses(outcomes)).toEqual(['retry', 'retry'])
    expect(retryError(outcomes[0]).message).toMatch(
      /^Frappe HR answered 417: Failed to get method for command erpnext\.hr/,
    )
    expect(site.checkins).toHaveLength(0)
  })

  it('waits on 5xx and 429, keeping Retry-After, and sends nothing more in that batch', async () => {
    site.faults.push({
      status: 429,
      body: 'Too Many Requests',
      type: 'text/plain',
      headers: { 'Retry-After': '7' },
    })
    let outcomes = await connect().upload([
      punchAt('E1', '2026-05-04T07:00:00Z'),
      punchAt('E2', '2026-05-04T07:00:00Z'),
    ])
    expect(statuses(outcomes)).toEqual(['retry', 'retry'])
    expect(retryError(outcomes[0])).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000 })
    site.faults.push({ status: 502, body: '<html>Bad Gateway</html>' })
    site.faults.push({ status: 503, body: '', headers: { 'Retry-After': '30' } })
    outcomes = await connect().upload([punchAt('E1', '2026-05-04T07:00:00Z')])
    expect(retryError(outcomes[0]).kind).toBe('server')
    outcomes = await connect().upload([punchAt('E1', '2026-05-04T07:00:00Z')])
    expect(retryError(outcomes[0])).toMatchObject({ kind: 'unavailable', retryAfterMs: 30_000 })
    expect(site.checkins).toHaveLength(0)
  })

  it('creates nothing twice when the reply to a landed check-in is lost', async () => {
    const connector = connect()
    const entry = punchAt('E1', '2026-05-04T07:00:00Z')
    site.faults.push({ drop: true })
    const [lost] = await connector.upload([entry])
    expect(retryError(lost).kind).toBe('network')
    expect(site.checkins).toHaveLength(1)
    expect(statuses(await connector.upload([entry]))).toEqual(['duplicate'])
    expect(site.checkins).toHaveLength(1)
  })

  it('reads hostile replies as clear errors: an HTML 200, broken JSON, a huge body', async () => {
    site.faults.push({ status: 200, body: '<html>Wi-Fi login</html>' })
    site.faults.push({ status: 200, type: 'application/json', body: '{"message": ' })
    site.faults.push({ status: 200, type: 'application/json', body: 'x'.repeat(11 * 1024 * 1024) })
    const messages: string[] = []
    for (let i = 0; i < 3; i++) {
      const [outcome] = await connect().upload([punchAt('E1', '2026-05-04T07:00:00Z')])
      const error = retryError(outcome)
      expect(error.kind).toBe('malformed')
      messages.push(error.message)
    }
    expect(messages).toEqual([
      'expected JSON from Frappe HR, got text/html',
      'unexpected reply from Frappe HR: invalid JSON',
      'the reply from Frappe HR exceeded 10485760 bytes',
    ])
  })

  it('holds the queue on refused credentials and never names them in an error', async () => {
    const connector = frappeConnector(
      site.url,
      { ...frappeSettings.parse({}), apiKey: site.apiKey, apiSecret: 'wrong-secret-987' },
      contextFor(ZONE),
    )
    const [outcome] = await connector.upload([punchAt('E1', '2026-05-04T07:00:00Z')])
    const error = retryError(outcome)
    expect(error.kind).toBe('unauthorised')
    expect(error.message).toBe('Frappe HR answered 401')
    await expect(connector.health()).rejects.toMatchObject({ kind: 'unauthorised' })
    expect(site.requests.at(-1)!.authorization).toBe(`token ${site.apiKey}:wrong-secret-987`)

    const echo = `token ${site.apiKey}:${site.apiSecret}`
    site.faults.push({
      status: 417,
      type: 'application/json',
      body: JSON.stringify({
        exc_type: 'ValidationError',
        exception: `ValidationError: bad ${echo}`,
      }),
    })
    const [refused] = await connect().upload([punchAt('E1', '2026-05-04T07:00:00Z')])
    expect(refused).toMatchObject({ status: 'rejected', reason: 'bad token [token]' })
    expect(JSON.stringify(refused)).not.toContain(site.apiSecret)
  })

  it('refuses to amend or void a check-in, saying what to do by hand', async () => {
    const voided = punchAt('E1', '2026-05-04T07:00:00Z', 'in', {
      method: 'manual',
      correction: {
        kind: 'voided',
        supersedes: crypto.randomUUID(),
        reason: 'wrong person',
        enteredBy: 'admin',
        enteredAt: '2026-05-04T08:00:00Z',
      },
    })
    const [outcome] = await connect().upload([voided])
    expect(outcome).toMatchObject({ status: 'rejected' })
    expect((outcome as { reason: string }).reason).toMatch(
      /^Frappe HR cannot void a check-in through its API: correct the check-in of E1/,
    )
    expect(site.requests).toHaveLength(0)
  })

  it('answers health with the logged-in user', async () => {
    await expect(connect().health()).resolves.toEqual({ message: 'kiosk@example.com' })
  })
})
