/**
 * The project's copy of the CRM contract is the shared one, it is a valid OpenAPI 3.1 document,
 * and the validator every other CRM test relies on really applies 3.1 (JSON Schema 2020-12) rules.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { contractPath, loadContract, type Exchange } from './contract'
import { punch } from './fixtures'

const repoRoot = resolve(import.meta.dirname, '../..')
const sharedPath = resolve(repoRoot, '../shared/crm-api.yaml')

describe('the contract copy', () => {
  it('is byte for byte the shared crm-api.yaml', (ctx) => {
    if (!existsSync(sharedPath)) {
      // CI always has ../shared beside the checkout; without it this check would pass vacuously.
      if (['true', '1'].includes(process.env.CI ?? ''))
        throw new Error(`CI=true but ${sharedPath} is missing`)
      ctx.skip(`no shared contract at ${sharedPath} (only CI is guaranteed to have ../shared)`)
    }
    const shared = readFileSync(sharedPath, 'utf8')
    const copy = readFileSync(contractPath, 'utf8')
    expect(copy === shared, `${contractPath} differs from ${sharedPath}: copy it again`).toBe(true)
  })

  it('is a valid OpenAPI 3.1 document (official 3.1 meta-schema)', async () => {
    const validator = new Validator()
    const result = await validator.validate(readFileSync(contractPath, 'utf8'))
    expect(result.errors ?? []).toEqual([])
    expect(validator.version).toBe('3.1')
  })
})

describe('the contract validator', () => {
  const heartbeat = (body: unknown) => ({
    method: 'POST',
    path: '/v1/devices/kiosk-1/heartbeat',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body,
  })

  it('accepts null where the 3.1 schema has a type array with null', async () => {
    const contract = await loadContract()
    const body = { version: '1', queueDepth: 0, oldestPendingAt: null, clockOffsetMs: null }
    expect(contract.requestProblems(heartbeat(body))).toEqual([])
  })

  it('rejects values outside a type array, and date-times without an offset', async () => {
    const contract = await loadContract()
    expect(
      contract.requestProblems(heartbeat({ version: '1', queueDepth: 0, oldestPendingAt: 5 })),
    ).not.toEqual([])
    const noOffset = { version: '1', queueDepth: 0, lastSyncAt: '2025-03-01T08:00:00' }
    expect(contract.requestProblems(heartbeat(noOffset)).join()).toMatch(/date-time/)
    expect(contract.requestProblems(heartbeat({ version: '1', queueDepth: -1 }))).not.toEqual([])
  })

  it('checks uuid formats, batch bounds and the bearer token of requests', async () => {
    const contract = await loadContract()
    const upload = (punches: unknown[], authorization = 'Bearer t') =>
      contract.requestProblems({
        method: 'POST',
        path: '/v1/punches',
        headers: { authorization, 'content-type': 'application/json' },
        body: { deviceId: 'kiosk-1', punches },
      })
    expect(upload([punch()])).toEqual([])
    expect(upload([punch({ id: 'punch-1' })]).join()).toMatch(/uuid/)
    expect(upload([]).join()).toMatch(/fewer than 1/)
    expect(upload(Array.from({ length: 501 }, () => punch())).join()).toMatch(/more than 500/)
    expect(upload([punch()], '')).toContain('no bearer device token')
  })

  it('checks responses: const, declared statuses, 204 without body, the Date header', async () => {
    const contract = await loadContract()
    const date = new Date().toUTCString()
    const health = (status: number, body: unknown, headers: Record<string, string> = { date }) =>
      contract.responseProblems({
        request: { method: 'GET', path: '/v1/health', headers: {}, body: '' },
        status,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      } satisfies Exchange)
    const time = new Date().toISOString()
    expect(health(200, { status: 'ok', time })).toEqual([])
    expect(health(200, { status: 'okay', time }).join()).toMatch(/constant/)
    expect(health(200, { status: 'ok', time: 'noon' }).join()).toMatch(/date-time/)
    expect(health(200, { status: 'ok', time }, {}).join()).toMatch(/Date header/)
    expect(health(418, {}).join()).toMatch(/not declared/)
    const deleted = contract.responseProblems({
      request: { method: 'DELETE', path: '/v1/employees/E1/face-templates', headers: {}, body: '' },
      status: 204,
      headers: { date },
      body: 'surprise',
    })
    expect(deleted).toEqual(['a 204 response has a body'])
  })
})

describe('the 1.1 additions, as the YAML states them', () => {
  const headers = { authorization: 'Bearer t', 'content-type': 'application/json' }
  const date = new Date().toUTCString()
  const upload = async (p: unknown) =>
    (await loadContract()).requestProblems({
      method: 'POST',
      path: '/v1/punches',
      headers,
      body: { deviceId: 'kiosk-1', punches: [p] },
    })
  const correction = (extra: Record<string, unknown>) => ({
    reason: 'forgot to check out',
    enteredBy: 'admin-1',
    enteredAt: new Date().toISOString(),
    ...extra,
  })
  const answer = async (path: string, body: unknown) =>
    (await loadContract()).responseProblems({
      request: { method: 'GET', path, headers: {}, body: '' },
      status: 200,
      headers: { 'content-type': 'application/json', date },
      body: JSON.stringify(body),
    })

  it('takes method auto and corrections that name their kind and what they supersede', async () => {
    expect(await upload(punch({ type: 'out', method: 'auto' }))).toEqual([])
    expect((await upload(punch({ method: 'robot' as 'auto' }))).join()).toMatch(/method/)
    for (const kind of ['added', 'amended', 'voided']) {
      const amended = correction({ kind, supersedes: punch().id })
      expect(await upload(punch({ method: 'manual', correction: amended }))).toEqual([])
    }
    expect(await upload(punch({ correction: correction({}) }))).toEqual([])
    const edited = correction({ kind: 'edited' })
    expect((await upload(punch({ correction: edited }))).join()).toMatch(/kind/)
    const notAnId = correction({ kind: 'voided', supersedes: 'punch-1' })
    expect((await upload(punch({ correction: notAnId }))).join()).toMatch(/uuid/)
  })

  it('gives employees a role of staff, supervisor or admin', async () => {
    const page = (role: unknown) => ({
      employees: [{ id: 'E1', name: 'A', active: true, role }],
      cursor: 'c',
      hasMore: false,
    })
    for (const role of ['staff', 'supervisor', 'admin'])
      expect(await answer('/v1/roster', page(role))).toEqual([])
    expect((await answer('/v1/roster', page('boss'))).join()).toMatch(/role/)
  })

  it('asks for receipts with from and to as date-times, a cursor optional', async () => {
    const contract = await loadContract()
    const ask = (query: string) =>
      contract.requestProblems({
        method: 'GET',
        path: `/v1/devices/kiosk-1/receipts${query}`,
        headers,
      })
    const from = encodeURIComponent('2026-03-01T00:00:00+08:00')
    const to = encodeURIComponent('2026-03-08T00:00:00+08:00')
    expect(ask(`?from=${from}&to=${to}`)).toEqual([])
    expect(ask(`?from=${from}&to=${to}&cursor=abc`)).toEqual([])
    expect(ask(`?from=${from}`).join()).toMatch(/to/)
    expect(ask(`?from=2026-03-01&to=${to}`).join()).toMatch(/date-time/)
    expect(
      contract.requestProblems({ method: 'GET', path: '/v1/devices/k/receipts', headers: {} }),
    ).toContain('no bearer device token')
  })

  it('answers receipts as at most 1000 {id, receivedAt}, hasMore and a cursor', async () => {
    const path = '/v1/devices/kiosk-1/receipts?from=x&to=y'
    const receipt = () => ({ id: punch().id, receivedAt: new Date().toISOString() })
    expect(await answer(path, { receipts: [receipt()], cursor: 'c', hasMore: true })).toEqual([])
    expect(await answer(path, { receipts: [], hasMore: false })).toEqual([])
    const many = Array.from({ length: 1001 }, receipt)
    expect((await answer(path, { receipts: many, hasMore: false })).join()).toMatch(/1000/)
    const late = { id: punch().id, receivedAt: 'noon' }
    expect((await answer(path, { receipts: [late], hasMore: false })).join()).toMatch(/date-time/)
    const badId = { id: 'r-1', receivedAt: new Date().toISOString() }
    expect((await answer(path, { receipts: [badId], hasMore: false })).join()).toMatch(/uuid/)
    expect((await answer(path, { receipts: [] })).join()).toMatch(/hasMore/)
  })
})
