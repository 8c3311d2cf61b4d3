/**
 * The reference CRM over raw HTTP: what a kiosk sees of it, whatever client it uses. Every answer
 * it gives, to good and bad requests alike, is checked against crm-api.yaml.
 */
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadContract, type Contract, type Exchange } from './contract'
import { ada, bob, gone, punch, tempDir, TOKEN, vector } from './fixtures'
import { startReferenceCrm, type ReferenceCrm } from './reference-server'

let contract: Contract
let crm: ReferenceCrm
let dir: { dir: string; cleanup(): Promise<void> }
const SKEW_MS = 90 * 60 * 1000
const answered: { exchange: Exchange; gap?: string }[] = []

beforeAll(async () => {
  contract = await loadContract()
  dir = await tempDir()
  crm = await startReferenceCrm({
    dataDir: dir.dir,
    tokens: [TOKEN],
    clockSkewMs: SKEW_MS,
    pageSize: 2,
    receiptsPageSize: 2,
  })
  for (const employee of [ada, bob, gone]) await crm.upsertEmployee(employee)
})
afterAll(async () => {
  await crm.stop()
  await dir.cleanup()
})
afterEach(() => {
  for (const { exchange, gap } of answered.splice(0)) {
    const where = `${exchange.request.method} ${exchange.request.path}`
    expect(contract.responseProblems(exchange), where).toEqual(gap ? [gap] : [])
  }
})

async function call(
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; token?: string | null; type?: string; gap?: string } = {},
) {
  const headers: Record<string, string> = {}
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`
  const body = opts.raw ?? (opts.body === undefined ? '' : JSON.stringify(opts.body))
  if (body) headers['content-type'] = opts.type ?? 'application/json'
  const res = await fetch(crm.url + path, { method, headers, body: body || undefined })
  const text = await res.text()
  const responseHeaders = Object.fromEntries(res.headers)
  answered.push({
    exchange: {
      request: { method, path, headers, body },
      status: res.status,
      headers: responseHeaders,
      body: text,
    },
    gap: opts.gap,
  })
  return {
    status: res.status,
    headers: responseHeaders,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  }
}

const upload = (punches: unknown[]) =>
  call('POST', '/v1/punches', { body: { deviceId: 'kiosk-1', punches } })

describe('reference CRM', () => {
  it('refuses a missing or wrong device token with 401', async () => {
    expect((await call('GET', '/v1/health', { token: null })).status).toBe(401)
    expect((await call('GET', '/v1/roster', { token: 'not-the-token' })).status).toBe(401)
    expect((await call('DELETE', '/v1/employees/E001/face-templates', { token: 'x' })).status).toBe(
      401,
    )
    expect((await upload([punch()])).status).toBe(200)
    const denied = await call('POST', '/v1/punches', {
      token: 'x',
      body: { deviceId: 'k', punches: [punch()] },
    })
    expect(denied).toMatchObject({ status: 401, json: { error: 'unauthorised' } })
  })

  it('answers a malformed request with 400 {error, message} and stores nothing', async () => {
    const before = crm.punches().length
    const badId = await upload([punch({ id: 'not-a-uuid' })])
    expect(badId).toMatchObject({ status: 400, json: { error: 'bad_request' } })
    expect(String(badId.json?.message)).toMatch(/uuid/)
    expect((await upload([])).status).toBe(400)
    expect((await call('POST', '/v1/punches', { raw: '{"deviceId":' })).status).toBe(400)
    const notJson = await call('POST', '/v1/punches', { raw: 'deviceId=k', type: 'text/plain' })
    expect(notJson).toMatchObject({ status: 400, json: { message: expect.stringMatching(/JSON/) } })
    expect(crm.punches()).toHaveLength(before)
  })

  it('answers a batch over 500 punches with 413', async () => {
    const res = await upload(Array.from({ length: 501 }, () => punch()))
    expect(res.status).toBe(413)
  })

  it('gives each punch its own outcome: created, duplicate, or rejected with a reason', async () => {
    const good = punch()
    const future = punch({
      occurredAt: new Date(Date.now() + SKEW_MS + 25 * 3600_000).toISOString(),
    })
    const res = await upload([
      good,
      punch({ employeeId: 'E404' }),
      punch({ employeeId: gone.id }),
      future,
      good,
    ])
    expect(res.json?.results).toEqual([
      { id: good.id, status: 'created' },
      { id: expect.any(String), status: 'rejected', reason: 'unknown_employee' },
      { id: expect.any(String), status: 'rejected', reason: 'inactive_employee' },
      { id: future.id, status: 'rejected', reason: 'invalid_time' },
      { id: good.id, status: 'duplicate' },
    ])
    const nearFuture = punch({ occurredAt: new Date(Date.now() + 23 * 3600_000).toISOString() })
    expect((await upload([nearFuture])).json?.results).toEqual([
      { id: nearFuture.id, status: 'created' },
    ])
  })

  it('decides concurrent uploads of one punch once: one created, one duplicate', async () => {
    const same = punch()
    const answers = await Promise.all([upload([same]), upload([same]), upload([same])])
    const statuses = answers.map((a) => (a.json?.results as { status: string }[])[0]?.status)
    expect(statuses.sort()).toEqual(['created', 'duplicate', 'duplicate'])
  })

  it('survives a ledger whose last line was torn by a crash, keeping everything before it', async () => {
    const other = await tempDir()
    const first = await startReferenceCrm({ dataDir: other.dir, tokens: [TOKEN] })
    await first.upsertEmployee(ada)
    const kept = punch()
    const res = await fetch(`${first.url}/v1/punches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'kiosk-1', punches: [kept] }),
    })
    expect(res.status).toBe(200)
    await first.stop()
    const ledger = join(other.dir, 'crm-ledger.jsonl')
    await appendFile(ledger, '{"kind":"punch","stored":{"pun')
    const second = await startReferenceCrm({ dataDir: other.dir, tokens: [TOKEN] })
    try {
      expect(second.punches().map((p) => p.punch.id)).toEqual([kept.id])
      await second.upsertEmployee(bob)
      const lines = (await readFile(ledger, 'utf8')).trim().split('\n')
      expect(lines.map((line) => JSON.parse(line) as { kind: string }).map((r) => r.kind)).toEqual([
        'employee',
        'punch',
        'employee',
      ])
    } finally {
      await second.stop()
      await other.cleanup()
    }
  })

  it('keeps every punch id forever: after a restart a resend is a duplicate and changes nothing', async () => {
    const first = punch({ type: 'out' })
    await upload([first])
    const stored = crm.punches()
    await crm.restart()
    const again = await upload([{ ...first, type: 'in' }])
    expect(again.json?.results).toEqual([{ id: first.id, status: 'duplicate' }])
    expect(crm.punches()).toEqual(stored)
    expect(crm.punches().find((p) => p.punch.id === first.id)?.punch.type).toBe('out')
  })

  it('pages the roster with opaque cursors and then serves only changes', async () => {
    const page1 = await call('GET', '/v1/roster')
    expect(page1.json).toMatchObject({ hasMore: true })
    const page2 = await call('GET', `/v1/roster?cursor=${String(page1.json?.cursor)}`)
    expect(page2.json?.hasMore).toBe(false)
    const all = [...(page1.json?.employees as []), ...(page2.json?.employees as [])]
    expect(all.map((e: { id: string }) => e.id)).toEqual([ada.id, bob.id, gone.id])
    expect(all[2]).toMatchObject({ id: gone.id, active: false })

    const quiet = await call('GET', `/v1/roster?cursor=${String(page2.json?.cursor)}`)
    expect(quiet.json).toMatchObject({ employees: [], hasMore: false, cursor: page2.json?.cursor })
    await crm.upsertEmployee({ ...bob, active: false })
    const changes = await call('GET', `/v1/roster?cursor=${String(page2.json?.cursor)}`)
    expect(changes.json?.employees).toEqual([{ ...bob, active: false }])
    await crm.upsertEmployee({ ...bob, active: true })
  })

  it('treats an unknown cursor as a full sync', async () => {
    const res = await call('GET', '/v1/roster?cursor=garbage')
    expect(res.json).toMatchObject({ hasMore: true, employees: [{ id: ada.id }, { id: gone.id }] })
  })

  it('shows the kiosks of one site an employee of another only as gone', async () => {
    let cursor = ''
    for (let more = true; more;) {
      const page = await call('GET', `/v1/roster?siteId=site-a${cursor && `&cursor=${cursor}`}`)
      cursor = String(page.json?.cursor)
      more = page.json?.hasMore === true
    }
    await crm.upsertEmployee({ id: 'E300', name: 'Site B Only', active: true, siteIds: ['site-b'] })
    const forA = await call('GET', `/v1/roster?siteId=site-a&cursor=${cursor}`)
    expect(forA.json?.employees).toEqual([{ id: 'E300', name: 'Site B Only', active: false }])
    const forB = await call('GET', `/v1/roster?siteId=site-b&cursor=${cursor}`)
    expect(forB.json?.employees).toEqual([
      { id: 'E300', name: 'Site B Only', active: true, siteIds: ['site-b'] },
    ])
  })

  it('stamps every answer with its own (skewed) clock, health time included', async () => {
    const res = await call('GET', '/v1/health')
    const offset = Date.parse(res.headers.date!) - Date.now()
    expect(Math.abs(offset - SKEW_MS)).toBeLessThan(5_000)
    expect(Math.abs(Date.parse(String(res.json?.time)) - Date.now() - SKEW_MS)).toBeLessThan(5_000)
    const denied = await call('GET', '/v1/health', { token: null })
    expect(Math.abs(Date.parse(denied.headers.date!) - Date.now() - SKEW_MS)).toBeLessThan(5_000)
  })

  it('stores face templates per known employee, 404 for unknown ones, and erases them', async () => {
    const body = {
      templates: [{ id: 't1', model: 'face-api/face_recognition_model@1.7', vector: vector() }],
      consent: { signedAt: new Date().toISOString(), method: 'on_screen_signature' },
    }
    expect((await call('PUT', `/v1/employees/${ada.id}/face-templates`, { body })).status).toBe(204)
    expect(crm.faceTemplates(ada.id)).toEqual(body)
    expect((await call('PUT', '/v1/employees/E404/face-templates', { body })).status).toBe(404)
    const noConsent = await call('PUT', `/v1/employees/${ada.id}/face-templates`, {
      body: { templates: body.templates },
    })
    expect(noConsent.status).toBe(400)
    expect((await call('DELETE', `/v1/employees/${ada.id}/face-templates`)).status).toBe(204)
    expect(crm.faceTemplates(ada.id)).toBeUndefined()
  })

  it('keeps the last heartbeat per device, durably', async () => {
    const beat = {
      version: '0.1.0',
      queueDepth: 3,
      oldestPendingAt: null,
      clockOffsetMs: 12,
      camera: 'ok',
    }
    expect((await call('POST', '/v1/devices/kiosk-7/heartbeat', { body: beat })).status).toBe(204)
    expect(
      (await call('POST', '/v1/devices/kiosk-7/heartbeat', { body: { ...beat, queueDepth: 0 } }))
        .status,
    ).toBe(204)
    await crm.restart()
    expect(crm.heartbeats()['kiosk-7']?.body).toEqual({ ...beat, queueDepth: 0 })
  })

  it('answers an invalid heartbeat with 400, which the contract does not declare (a gap in it)', async () => {
    const gap = 'status 400 is not declared for POST /v1/devices/{deviceId}/heartbeat'
    const res = await call('POST', '/v1/devices/kiosk-7/heartbeat', { body: { version: 1 }, gap })
    expect(res).toMatchObject({ status: 400, json: { error: 'bad_request' } })
  })

  it('keeps a correction as sent, supersedes included; an amended one must name what it replaces', async () => {
    const original = punch()
    const correction = {
      kind: 'amended' as const,
      supersedes: original.id,
      reason: 'came in earlier',
      enteredBy: 'admin-1',
      enteredAt: new Date().toISOString(),
    }
    const amended = punch({ method: 'manual', correction })
    const auto = punch({ type: 'out', method: 'auto' })
    const loose = punch({ method: 'manual', correction: { ...correction, supersedes: undefined } })
    const res = await upload([original, amended, auto, loose])
    expect(res.json?.results).toEqual([
      { id: original.id, status: 'created' },
      { id: amended.id, status: 'created' },
      { id: auto.id, status: 'created' },
      { id: loose.id, status: 'rejected', reason: 'invalid_correction' },
    ])
    await crm.restart()
    expect(crm.punches().find((p) => p.punch.id === amended.id)?.punch).toEqual(amended)
    expect(crm.punches().find((p) => p.punch.id === auto.id)?.punch.method).toBe('auto')
  })

  it("returns each employee's role in the roster", async () => {
    const boss = { id: 'E400', name: 'Site Admin', active: true, role: 'admin' }
    await crm.upsertEmployee(boss)
    const employees: { id: string }[] = []
    let cursor = ''
    for (let more = true; more;) {
      const page = await call('GET', `/v1/roster${cursor && `?cursor=${cursor}`}`)
      employees.push(...(page.json?.employees as { id: string }[]))
      cursor = String(page.json?.cursor)
      more = page.json?.hasMore === true
    }
    expect(employees.find((e) => e.id === boss.id)).toEqual(boss)
  })

  it("lists a device's receipts by occurredAt in [from, to), paged by an opaque cursor", async () => {
    const at = (iso: string) => punch({ occurredAt: iso })
    const inside = [
      at('2026-02-01T00:00:00+08:00'),
      at('2026-02-01T09:00:00+08:00'),
      at('2026-02-03T18:30:00+08:00'),
      at('2026-02-07T23:59:59+08:00'),
      at('2026-02-06T15:59:59Z'),
    ]
    const outside = [at('2026-01-31T23:59:59+08:00'), at('2026-02-08T00:00:00+08:00')]
    const send = (deviceId: string, punches: unknown[]) =>
      call('POST', '/v1/punches', { body: { deviceId, punches } })
    await send('kiosk-r', [...inside, ...outside])
    await send('kiosk-other', [at('2026-02-02T10:00:00+08:00')])
    const from = encodeURIComponent('2026-02-01T00:00:00+08:00')
    const to = encodeURIComponent('2026-02-08T00:00:00+08:00')
    const base = `/v1/devices/kiosk-r/receipts?from=${from}&to=${to}`
    const ids: string[] = []
    let page = await call('GET', base)
    for (let pages = 1; ; pages++) {
      const receipts = page.json?.receipts as { id: string; receivedAt: string }[]
      expect(receipts.length).toBeLessThanOrEqual(2)
      ids.push(...receipts.map((r) => r.id))
      if (!page.json?.hasMore) {
        expect(page.json?.cursor).toBeUndefined()
        expect(pages).toBe(3)
        break
      }
      page = await call('GET', `${base}&cursor=${String(page.json.cursor)}`)
    }
    const byTime = [...inside].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt))
    expect(ids).toEqual(byTime.map((p) => p.id))
    const restart = await call('GET', `${base}&cursor=not-ours`)
    expect((restart.json?.receipts as { id: string }[]).map((r) => r.id)).toEqual(ids.slice(0, 2))
    const none = await call('GET', `/v1/devices/kiosk-none/receipts?from=${from}&to=${to}`)
    expect(none.json).toEqual({ receipts: [], hasMore: false })
    const gap = 'status 400 is not declared for GET /v1/devices/{deviceId}/receipts'
    const noTo = await call('GET', `/v1/devices/kiosk-r/receipts?from=${from}`, { gap })
    expect(noTo).toMatchObject({ status: 400, json: { error: 'bad_request' } })
    expect((await call('GET', base, { token: null })).status).toBe(401)
  })
})
