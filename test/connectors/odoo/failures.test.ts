/**
 * How the Odoo connector meets a failing or hostile Odoo: retryable answers keep punches
 * queued with the right error kind, bad keys stop the queue as unauthorised, broken replies
 * are clear CrmErrors, and no error ever carries the API key. Also health and the roster.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CrmError } from '../../../electron/core/connectors/http'
import { startFakeOdoo, type FakeOdoo } from './fake-odoo'
import { connectorFor, out, punch, type Protocol } from './punches'

let odoo: FakeOdoo
beforeEach(async () => {
  odoo = await startFakeOdoo()
  odoo.records.addEmployee({ name: 'Ada Lovelace', barcode: '10001', pin: '4321' })
})
afterEach(() => odoo.close())

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a CrmError')
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(CrmError)
      return error as CrmError
    },
  )

describe.each<Protocol>(['json2', 'xmlrpc'])('a failing Odoo over %s', (protocol) => {
  const connector = () => connectorFor(odoo, protocol)
  const anIn = () => out(punch('10001', 'in', '2026-03-02T09:00:00Z'))

  it('checks health with one authenticated call, and a bad key is unauthorised', async () => {
    await expect(connector().health()).resolves.toBe(0)
    const key = odoo.apiKey
    odoo.revokeKey()
    const error = await failure(connectorFor({ ...odoo, apiKey: key }, protocol).health())
    expect(error.kind).toBe('unauthorised')
    expect(error.message).not.toContain(key)
  })

  it('waits on 5xx, 429 and 503 with Retry-After, and says so per kind', async () => {
    for (const [status, kind, retryAfterMs] of [
      [500, 'server', undefined],
      [502, 'server', undefined],
      [429, 'rate-limited', 30_000],
      [503, 'unavailable', 30_000],
    ] as const) {
      odoo.answerNext({ status, body: '', headers: { 'Retry-After': '30' } })
      const error = await failure(connector().upload(anIn()))
      expect(error).toMatchObject({ kind, status, retryAfterMs })
    }
    expect(odoo.records.attendances).toHaveLength(0)
    expect(await connector().upload(anIn())).toMatchObject([{ status: 'created' }])
  })

  it('turns HTML, garbage and huge replies into clear CrmErrors', async () => {
    const replies = [
      { status: 200, body: '<html>Sign in to the Wi-Fi</html>', type: 'text/html' },
      {
        status: 200,
        body: protocol === 'json2' ? '[{"id": 1,' : '<?xml version="1.0"?><methodResponse><par',
        type: protocol === 'json2' ? 'application/json' : 'text/xml',
      },
      { status: 200, body: 'x'.repeat(11 * 1024 * 1024), type: 'text/plain' },
    ]
    for (const reply of replies) {
      odoo.answerNext(reply)
      const error = await failure(connector().upload(anIn()))
      expect(error.kind).toBe('malformed')
      expect(error.message).toMatch(/Odoo/)
    }
  })

  it('never repeats the API key, even when Odoo echoes it', async () => {
    const c = connector()
    const message = `bad key ${odoo.apiKey} here`
    odoo.answerCall(
      'hr.attendance',
      'create',
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
      // Refused in the batch's create, then again when the punch is sent alone.
      2,
    )
    const [refused] = await c.upload(anIn())
    expect(refused).toMatchObject({ status: 'rejected', reason: 'bad key [token] here' })
  })

  it('reads the roster from hr.employee page by page, archived people included', async () => {
    for (let i = 0; i < 250; i++) {
      odoo.records.addEmployee({ name: `P${i}`, barcode: `B${i}`, active: i !== 7 })
    }
    const c = connector()
    const first = await c.roster!({})
    expect(first.hasMore).toBe(true)
    const second = await c.roster!({ cursor: first.cursor })
    expect(second.hasMore).toBe(false)
    const everyone = [...first.employees, ...second.employees]
    // The administrator has no barcode, so the kiosk has no id for them.
    expect(everyone).toHaveLength(251)
    expect(everyone.find((e) => e.id === 'B7')).toEqual({
      id: 'B7',
      name: 'P7',
      active: false,
      badges: ['B7'],
    })
    // The next sync reads the last minute again (a late commit), and still comes to an end.
    odoo.records.addEmployee({ name: 'New Hire', barcode: 'B999' })
    let page = await c.roster!({ cursor: second.cursor })
    const seen = [...page.employees]
    for (let i = 0; page.hasMore && i < 5; i++) {
      const next = await c.roster!({ cursor: page.cursor })
      expect(next.cursor).not.toBe(page.cursor)
      page = next
      seen.push(...page.employees)
    }
    expect(page.hasMore).toBe(false)
    expect(seen.map((e) => e.id)).toContain('B999')
  })
})

describe('Odoo over XML-RPC', () => {
  it('logs in again once when Odoo stops knowing the user id, then carries on', async () => {
    const c = connectorFor(odoo, 'xmlrpc')
    await c.upload(out(punch('10001', 'in', '2026-03-02T09:00:00Z')))
    odoo.uid = 7
    expect(await c.upload(out(punch('10001', 'out', '2026-03-02T17:00:00Z')))).toMatchObject([
      { status: 'created' },
    ])
    expect(odoo.calls.filter((call) => call.method === 'authenticate')).toHaveLength(2)
  })

  it('a wrong login is unauthorised, naming the login and database, not the key', async () => {
    const error = await failure(connectorFor({ ...odoo, login: 'kiosk-bot' }, 'xmlrpc').health())
    expect(error.kind).toBe('unauthorised')
    expect(error.message).toBe(
      'Odoo refused login "kiosk-bot" with this API key on database "kiosk"',
    )
  })
})

describe('Odoo over JSON-2', () => {
  it('an unknown database or a server without JSON-2 keeps punches queued, with a hint', async () => {
    const error = await failure(
      connectorFor({ ...odoo, db: 'other' }).upload(
        out(punch('10001', 'in', '2026-03-02T09:00:00Z')),
      ),
    )
    expect(error.kind).toBe('server')
    expect(error.message).toMatch(/^Odoo answered 404: .*crm\.odoo\.database/)
  })
})
