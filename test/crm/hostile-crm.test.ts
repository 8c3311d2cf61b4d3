/**
 * A CRM (or whatever sits at its address) that answers wrongly on purpose: the client must never
 * accept a reply the contract does not allow, and must classify every status as documented.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCrmClient, CrmError, type CrmClient } from '../../electron/core/sync/crm-client'
import { close, listen, readBody } from './http-kit'
import { punch, TOKEN, vector } from './fixtures'

type Respond = (req: IncomingMessage, res: ServerResponse, body: string) => void
let respond: Respond
let url: string
let client: CrmClient
const server = createServer(async (req, res) => respond(req, res, (await readBody(req)).toString()))

beforeAll(async () => {
  url = (await listen(server)).url
  client = createCrmClient({
    baseUrl: url,
    deviceToken: TOKEN,
    deviceId: 'kiosk-1',
    timeoutMs: 2_000,
  })
})
afterAll(() => close(server))

function answerJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
  respond = (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(typeof body === 'string' ? body : JSON.stringify(body))
  }
}

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => new Error('the reply was accepted'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CrmError)
  return error as CrmError
}

const batch = [punch(), punch()]
const result = (id: string, status = 'created') => ({ id, status })

describe('CRM client facing a hostile or broken server', () => {
  it.each([
    ['results for other ids', { results: [result(punch().id), result(punch().id)] }],
    ['too few results', { results: [result(batch[0]!.id)] }],
    ['too many results', { results: [...batch.map((p) => result(p.id)), result(punch().id)] }],
    ['results out of order', { results: [result(batch[1]!.id), result(batch[0]!.id)] }],
    ['a status outside the contract', { results: batch.map((p) => result(p.id, 'ok')) }],
    [
      'a reason that is not text',
      { results: batch.map((p) => ({ ...result(p.id, 'rejected'), reason: 7 })) },
    ],
    ['no results at all', { ok: true }],
    ['an array instead of an object', [result(batch[0]!.id)]],
  ])('refuses an upload reply with %s as malformed', async (_label, body) => {
    answerJson(200, body)
    expect((await failure(client.uploadPunches(batch))).kind).toBe('malformed')
  })

  it('refuses HTML, and JSON sent as text/html, as malformed', async () => {
    respond = (_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>')
    expect((await failure(client.roster())).message).toMatch(/text\/html/)
    answerJson(200, '{"results":')
    expect((await failure(client.uploadPunches(batch))).message).toMatch(/invalid JSON/)
    const valid = JSON.stringify({ status: 'ok', time: new Date().toISOString() })
    respond = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(valid)
    expect((await failure(client.health())).kind).toBe('malformed')
  })

  it.each([
    ['an employee without active', { id: 'E1', name: 'A' }],
    ['an empty employee id', { id: '', name: 'A', active: true }],
    ['badges that are not strings', { id: 'E1', name: 'A', active: true, badges: [10001] }],
    [
      'a schedule time not HH:MM',
      { id: 'E1', name: 'A', active: true, schedule: { start: '9:00' } },
    ],
    ['a weekday 8', { id: 'E1', name: 'A', active: true, schedule: { days: [8] } }],
    [
      'a face vector of the wrong size',
      {
        id: 'E1',
        name: 'A',
        active: true,
        faceTemplates: [{ id: 't', model: 'm', vector: 'AAAA' }],
      },
    ],
  ])('refuses a roster page with %s as malformed', async (_label, employee) => {
    answerJson(200, { employees: [employee], cursor: 'c1', hasMore: false })
    expect((await failure(client.roster())).kind).toBe('malformed')
  })

  it('reads any role as text (roster sync decides what it grants) but refuses a role that is not text', async () => {
    const page = (role: unknown) => ({
      employees: [{ id: 'E1', name: 'A', active: true, role }],
      cursor: 'c1',
      hasMore: false,
    })
    answerJson(200, page(1))
    expect((await failure(client.roster())).message).toMatch(/employees\[0\]\.role/)
    answerJson(200, page('x'.repeat(65)))
    expect((await failure(client.roster())).kind).toBe('malformed')
    answerJson(200, page('superuser'))
    expect((await client.roster()).employees[0]?.role).toBe('superuser')
  })

  const from = '2026-03-01T00:00:00+08:00'
  const to = '2026-03-08T00:00:00+08:00'
  const receipt = () => ({ id: punch().id, receivedAt: new Date().toISOString() })

  it.each([
    [
      '1001 receipts',
      { receipts: Array.from({ length: 1001 }, receipt), hasMore: false },
      /at most 1000/,
    ],
    [
      'a receipt id that is not a UUID',
      { receipts: [{ ...receipt(), id: 'r1' }], hasMore: false },
      /receipts\[0\]\.id/,
    ],
    [
      'a receivedAt that is a number',
      { receipts: [{ ...receipt(), receivedAt: 5 }], hasMore: false },
      /receivedAt/,
    ],
    ['receipts that are an object', { receipts: { a: receipt() }, hasMore: false }, /receipts/],
    ['no hasMore', { receipts: [receipt()] }, /hasMore/],
    ['hasMore without a cursor', { receipts: [receipt()], hasMore: true }, /cursor/],
    ['an empty cursor with hasMore', { receipts: [], cursor: '', hasMore: true }, /cursor/],
    ['a cursor that is a number', { receipts: [], cursor: 2, hasMore: true }, /cursor/],
  ])('refuses a receipts page with %s as malformed', async (_label, body, message) => {
    answerJson(200, body)
    const error = await failure(client.receipts(from, to))
    expect(error.kind).toBe('malformed')
    expect(error.message).toMatch(message)
  })

  it("refuses receipts that are not JSON, and keeps only the contract's fields", async () => {
    answerJson(200, '{"receipts":[')
    expect((await failure(client.receipts(from, to))).message).toMatch(/invalid JSON/)
    respond = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html/>')
    expect((await failure(client.receipts(from, to))).kind).toBe('malformed')
    const one = { ...receipt(), employeeId: 'E1' }
    answerJson(200, { receipts: [one], hasMore: false, total: 1 })
    expect(await client.receipts(from, to)).toEqual({
      receipts: [{ id: one.id, receivedAt: one.receivedAt }],
      hasMore: false,
    })
  })

  it('asks for receipts of this device with from, to and cursor in the query', async () => {
    let asked = ''
    respond = (req, res) => {
      asked = req.url ?? ''
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ receipts: [], hasMore: false }))
    }
    await client.receipts(from, to, 'c/2+')
    const url = new URL(asked, 'http://x')
    expect(url.pathname).toBe('/v1/devices/kiosk-1/receipts')
    expect(Object.fromEntries(url.searchParams)).toEqual({ from, to, cursor: 'c/2+' })
  })

  it('keeps only the fields the contract defines from a roster page', async () => {
    const templates = [{ id: 't', model: 'm', vector: vector(), note: 'x' }]
    const employee = { id: 'E1', name: 'A', active: true, pin: '1234', faceTemplates: templates }
    answerJson(200, { employees: [employee], cursor: 'c1', hasMore: 'no' })
    expect((await failure(client.roster())).kind).toBe('malformed')
    answerJson(200, { employees: [employee], cursor: 'c1', hasMore: false, admin: true })
    expect(await client.roster()).toEqual({
      employees: [
        {
          id: 'E1',
          name: 'A',
          active: true,
          faceTemplates: [{ id: 't', model: 'm', vector: vector() }],
        },
      ],
      cursor: 'c1',
      hasMore: false,
    })
  })

  it('reads only own properties of a reply: inherited names neither fill nor pass', async () => {
    const employee = '{"id":"E1","name":"A","__proto__":{"active":true},"constructor":1}'
    answerJson(200, `{"employees":[${employee}],"cursor":"c1","hasMore":false}`)
    expect((await failure(client.roster())).message).toMatch(/employees\[0\]\.active/)
    const results = batch.map((p) => `{"id":"${p.id}","status":"created","toString":1}`)
    answerJson(200, `{"results":[${results.join(',')}],"__proto__":{"results":[]}}`)
    const read = await client.uploadPunches(batch)
    expect(read).toEqual(batch.map((p) => ({ id: p.id, status: 'created' })))
    expect(Object.hasOwn(read[0]!, 'toString')).toBe(false)
  })

  it('refuses a health reply that is not {status: ok, time}', async () => {
    answerJson(200, { status: 'okay', time: new Date().toISOString() })
    expect((await failure(client.health())).kind).toBe('malformed')
    answerJson(200, { status: 'ok', time: '2025-03-01 08:00' })
    expect((await failure(client.health())).kind).toBe('malformed')
  })

  it('accepts only 204 where the contract answers 204', async () => {
    answerJson(200, { stored: true })
    const put = client.putFaceTemplates('E1', {
      templates: [{ id: 't', model: 'm', vector: vector() }],
      consent: { signedAt: new Date().toISOString(), method: 'electronic' },
    })
    expect(await failure(put)).toMatchObject({ kind: 'malformed', status: 200 })
    respond = (_req, res) => res.writeHead(204).end()
    await expect(client.deleteFaceTemplates('E1')).resolves.toBeUndefined()
  })

  it.each([
    [400, 'rejected-request'],
    [401, 'unauthorised'],
    [403, 'unauthorised'],
    [404, 'rejected-request'],
    [413, 'too-large'],
    [422, 'rejected-request'],
    [500, 'server'],
    [502, 'server'],
    [504, 'server'],
    [503, 'unavailable'],
    [302, 'malformed'],
  ])('classifies status %i as %s', async (status, kind) => {
    answerJson(
      status,
      { error: 'x' },
      status === 302 ? { Location: 'http://127.0.0.1:9/steal' } : {},
    )
    expect(await failure(client.heartbeat({ version: '1', queueDepth: 0 }))).toMatchObject({
      kind,
      status,
    })
  })

  it('reads Retry-After as seconds or as an HTTP date against the server clock; caps it', async () => {
    const serverNow = Date.now() + 3_600_000
    const date = new Date(serverNow).toUTCString()
    answerJson(503, {}, { Date: date, 'Retry-After': new Date(serverNow + 20_000).toUTCString() })
    expect((await failure(client.health())).retryAfterMs).toBe(20_000)
    answerJson(429, {}, { 'Retry-After': ' 12 ' })
    expect((await failure(client.health())).retryAfterMs).toBe(12_000)
    answerJson(503, {})
    expect(await failure(client.health())).toMatchObject({
      kind: 'unavailable',
      retryAfterMs: undefined,
    })
    answerJson(429, {}, { 'Retry-After': 'soon' })
    expect((await failure(client.health())).retryAfterMs).toBeUndefined()
    answerJson(429, {}, { 'Retry-After': '31536000' })
    expect((await failure(client.health())).retryAfterMs).toBe(3_600_000)
  })

  it('redacts the token if a server echoes it, and trims what the server says', async () => {
    answerJson(400, { error: 'bad_token', message: `token ${TOKEN} is wrong\n${'x'.repeat(500)}` })
    const error = await failure(client.health())
    expect(error.message).not.toContain(TOKEN)
    expect(error.message).toContain('[token]')
    expect(error.message.length).toBeLessThan(300)
  })

  it('refuses a reply over 10 MB as malformed', async () => {
    answerJson(200, {
      status: 'ok',
      time: new Date().toISOString(),
      pad: 'x'.repeat(11 * 1024 * 1024),
    })
    expect((await failure(client.health())).kind).toBe('malformed')
  })

  it('classifies a refused connection and an unresolvable host as network', async () => {
    const closed = createServer()
    const { url: gone } = await listen(closed)
    await close(closed)
    const refused = createCrmClient({ baseUrl: gone, deviceToken: TOKEN, deviceId: 'k' })
    expect((await failure(refused.health())).kind).toBe('network')
    const nowhere = createCrmClient({
      baseUrl: 'https://crm.invalid',
      deviceToken: TOKEN,
      deviceId: 'k',
      timeoutMs: 3_000,
    })
    expect((await failure(nowhere.health())).kind).toBe('network')
  })

  it.each([
    'http://crm.example.com',
    'http://192.168.1.20:8787',
    'https://user:pass@crm.example.com',
    'https://token@crm.example.com',
    'ftp://crm.example.com',
  ])('will not send the token or punches to %s', (baseUrl) => {
    expect(() => createCrmClient({ baseUrl, deviceToken: TOKEN, deviceId: 'k' })).toThrow(
      /https URL/,
    )
    expect(() => createCrmClient({ baseUrl, deviceToken: TOKEN, deviceId: 'k' })).not.toThrow(
      /:pass@|token@/,
    )
  })

  it.each([301, 302, 307, 308])('follows no %i redirect, to http or elsewhere', async (status) => {
    const seen: string[] = []
    const elsewhere = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`)
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ status: 'ok', time: new Date().toISOString() }))
    })
    const { url: away } = await listen(elsewhere)
    try {
      for (const location of [`${away}/v1/health`, `${away.replace('127.0.0.1', 'localhost')}/x`]) {
        answerJson(status, {}, { Location: location })
        expect(await failure(client.health())).toMatchObject({ kind: 'malformed', status })
        answerJson(status, {}, { Location: location })
        const upload = failure(client.uploadPunches(batch))
        expect(await upload).toMatchObject({ status })
      }
      expect(seen).toEqual([])
    } finally {
      await close(elsewhere)
    }
  })

  it('reports no server date when the Date header is missing or invalid', async () => {
    const dates: number[] = []
    const observed = createCrmClient({
      baseUrl: url,
      deviceToken: TOKEN,
      deviceId: 'k',
      onServerDate: (d) => dates.push(d),
    })
    respond = (_req, res) => {
      res.sendDate = false
      res.writeHead(200, { 'Content-Type': 'application/json', Date: 'yesterday' })
      res.end(JSON.stringify({ status: 'ok', time: new Date().toISOString() }))
    }
    await observed.health()
    expect(dates).toEqual([])
  })
})
