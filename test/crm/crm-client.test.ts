/**
 * The kiosk's CRM client against the reference CRM, through a recording proxy: every request the
 * client puts on the wire and every answer it gets are checked against crm-api.yaml.
 */
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCrmClient, CrmError, type CrmClient } from '../../electron/core/sync/crm-client'
import { loadContract, type Contract } from './contract'
import { ada, bob, gone, punch, tempDir, TOKEN, vector } from './fixtures'
import { startRecordingProxy, type RecordingProxy } from './recording-proxy'
import { startReferenceCrm, type ReferenceCrm } from './reference-server'

const SKEW_MS = -7 * 60 * 1000
let contract: Contract
let crm: ReferenceCrm
let proxy: RecordingProxy
let client: CrmClient
let dir: { dir: string; cleanup(): Promise<void> }
const clock: { serverDateMs: number; sentMs: number; receivedMs: number }[] = []
let checked = 0
let expectBadRequests = false

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
  proxy = await startRecordingProxy(crm.url)
  client = clientWith(TOKEN)
})
afterAll(async () => {
  await proxy.stop()
  await crm.stop()
  await dir.cleanup()
})
afterEach(() => {
  const fresh = proxy.exchanges().slice(checked)
  checked += fresh.length
  const lenient = expectBadRequests
  expectBadRequests = false
  for (const exchange of fresh) {
    const where = `${exchange.request.method} ${exchange.request.path} → ${exchange.status}`
    if (!lenient) expect(contract.wireRequestProblems(exchange.request), where).toEqual([])
    expect(contract.responseProblems(exchange), where).toEqual([])
  }
})

function clientWith(deviceToken: string, baseUrl = proxy.url): CrmClient {
  return createCrmClient({
    baseUrl,
    deviceToken,
    deviceId: 'kiosk-1',
    onServerDate: (serverDateMs, sentMs, receivedMs) =>
      clock.push({ serverDateMs, sentMs, receivedMs }),
  })
}

async function failure(promise: Promise<unknown>): Promise<CrmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CrmError)
  return error as CrmError
}

describe('CRM client against the reference CRM', () => {
  it('reads health and reports every Date header, which shows the server clock 7 min behind', async () => {
    clock.length = 0
    const health = await client.health()
    expect(health.status).toBe('ok')
    expect(Math.abs(Date.parse(health.time) - Date.now() - SKEW_MS)).toBeLessThan(5_000)
    await failure(clientWith('wrong-token').health())
    expect(clock).toHaveLength(2)
    for (const { serverDateMs, sentMs, receivedMs } of clock) {
      expect(receivedMs).toBeGreaterThanOrEqual(sentMs)
      // Date has whole seconds, and Node may stamp it from a clock cached up to 1 s.
      expect(Math.abs(serverDateMs - (sentMs + receivedMs) / 2 - SKEW_MS)).toBeLessThan(3_000)
    }
  })

  it('uploads punches and returns one outcome per punch in the order sent', async () => {
    const good = punch({ method: 'face', matchDistance: 0.31, liveness: 'passed', siteId: 'hq' })
    const tooLate = punch({ occurredAt: new Date(Date.now() + 48 * 3600_000).toISOString() })
    const batch = [good, punch({ employeeId: 'E404' }), punch({ employeeId: gone.id }), tooLate]
    expect(await client.uploadPunches(batch, 'batch-0001')).toEqual([
      { id: good.id, status: 'created' },
      { id: batch[1]!.id, status: 'rejected', reason: 'unknown_employee' },
      { id: batch[2]!.id, status: 'rejected', reason: 'inactive_employee' },
      { id: tooLate.id, status: 'rejected', reason: 'invalid_time' },
    ])
    expect(proxy.exchanges().at(-1)?.request.headers['idempotency-key']).toBe('batch-0001')
    expect(crm.punches().find((p) => p.punch.id === good.id)).toMatchObject({
      punch: good,
      deviceId: 'kiosk-1',
    })
  })

  it('gets duplicate, never a second record, for a punch resent after the CRM restarted', async () => {
    const correction = {
      reason: 'forgot to check out',
      enteredBy: 'admin-1',
      enteredAt: new Date().toISOString(),
    }
    const once = punch({ type: 'out', method: 'manual', correction })
    expect(await client.uploadPunches([once])).toEqual([{ id: once.id, status: 'created' }])
    const count = crm.punches().length
    await crm.restart()
    expect(await client.uploadPunches([once])).toEqual([{ id: once.id, status: 'duplicate' }])
    expect(crm.punches()).toHaveLength(count)
  })

  it('sends nothing for an empty batch and refuses one over 500 without sending it', async () => {
    const before = proxy.exchanges().length
    expect(await client.uploadPunches([])).toEqual([])
    const error = await failure(client.uploadPunches(Array.from({ length: 501 }, () => punch())))
    expect(error.kind).toBe('too-large')
    expect(proxy.exchanges()).toHaveLength(before)
  })

  it('pages through the roster, then fetches only what changed after the cursor', async () => {
    const seen: string[] = []
    let page = await client.roster()
    seen.push(...page.employees.map((e) => e.id))
    while (page.hasMore) {
      page = await client.roster({ cursor: page.cursor })
      seen.push(...page.employees.map((e) => e.id))
    }
    expect(seen).toEqual([ada.id, bob.id, gone.id])
    expect((await client.roster({ cursor: page.cursor })).employees).toEqual([])
    await crm.upsertEmployee({
      ...ada,
      name: 'Ada King',
      schedule: { start: '09:00', end: '17:30', days: [1, 2, 3, 4, 5] },
    })
    const changes = await client.roster({ cursor: page.cursor, siteId: 'hq' })
    expect(changes).toMatchObject({ hasMore: false, employees: [{ id: ada.id, name: 'Ada King' }] })
  })

  it('stores, refuses for an unknown employee, and erases face templates', async () => {
    const body = {
      templates: [{ id: 't1', model: 'face-api/face_recognition_model@1.7', vector: vector(3) }],
      consent: { signedAt: new Date().toISOString(), method: 'paper' as const, retentionDays: 365 },
    }
    await client.putFaceTemplates(bob.id, body)
    expect(crm.faceTemplates(bob.id)).toEqual(body)
    const unknown = await failure(client.putFaceTemplates('E 404/x', body))
    expect(unknown).toMatchObject({ kind: 'rejected-request', status: 404, retryable: false })
    await client.deleteFaceTemplates(bob.id)
    expect(crm.faceTemplates(bob.id)).toBeUndefined()
  })

  it('sends heartbeats the CRM keeps per device', async () => {
    const beat = {
      version: '0.1.0',
      siteId: 'hq',
      queueDepth: 2,
      deadLetters: 0,
      oldestPendingAt: new Date().toISOString(),
      lastSyncAt: null,
      clockOffsetMs: SKEW_MS,
      camera: 'ok' as const,
    }
    await client.heartbeat(beat)
    expect(crm.heartbeats()['kiosk-1']?.body).toEqual(beat)
  })

  it('classifies a refused token as unauthorised and never lets the token into the error', async () => {
    const secret = 'secret-token-that-must-not-leak'
    const error = await failure(clientWith(secret).uploadPunches([punch()]))
    expect(error).toMatchObject({ kind: 'unauthorised', status: 401, retryable: false })
    const shown = [
      inspect(error, { depth: 10 }),
      JSON.stringify(error),
      error.message,
      error.stack,
    ].join()
    expect(shown).not.toContain(secret)
  })

  it('classifies a 400 as rejected-request and passes on what the CRM said', async () => {
    expectBadRequests = true
    const error = await failure(client.uploadPunches([punch({ id: 'not-a-uuid' })]))
    expect(error).toMatchObject({ kind: 'rejected-request', status: 400, retryable: false })
    expect(error.message).toMatch(/uuid/)
  })

  it('classifies a 413 from the CRM as too-large', async () => {
    const small = await startReferenceCrm({
      dataDir: dir.dir + '-small',
      tokens: [TOKEN],
      maxBatch: 2,
    })
    try {
      const error = await failure(
        clientWith(TOKEN, small.url).uploadPunches([punch(), punch(), punch()]),
      )
      expect(error).toMatchObject({ kind: 'too-large', status: 413 })
    } finally {
      await small.stop()
    }
  })

  it('sends 1.1 punches: method auto, corrections with kind and supersedes', async () => {
    const original = punch()
    const voided = punch({
      method: 'manual',
      correction: {
        kind: 'voided',
        supersedes: original.id,
        reason: 'scanned the wrong badge',
        enteredBy: 'admin-1',
        enteredAt: new Date().toISOString(),
      },
    })
    const auto = punch({ type: 'out', method: 'auto' })
    expect(await client.uploadPunches([original, voided, auto])).toEqual(
      [original, voided, auto].map((p) => ({ id: p.id, status: 'created' })),
    )
    expect(crm.punches().find((p) => p.punch.id === voided.id)?.punch).toEqual(voided)
  })

  it('reads employee roles from the roster', async () => {
    await crm.upsertEmployee({ ...bob, role: 'supervisor' })
    let page = await client.roster()
    const seen = [...page.employees]
    while (page.hasMore) {
      page = await client.roster({ cursor: page.cursor })
      seen.push(...page.employees)
    }
    expect(seen.find((e) => e.id === bob.id)?.role).toBe('supervisor')
    expect(seen.find((e) => e.id === ada.id)?.role).toBeUndefined()
  })

  it('pages through the receipts of a period, offsets in the query kept intact', async () => {
    const mine = [
      '2026-04-01T08:00:00+08:00',
      '2026-04-01T12:00:00+08:00',
      '2026-04-02T09:00:00-05:00',
    ].map((occurredAt) => punch({ occurredAt }))
    const later = punch({ occurredAt: '2026-04-03T00:00:00+08:00' })
    await client.uploadPunches([...mine, later])
    const ids: string[] = []
    const cursors: (string | undefined)[] = []
    let cursor: string | undefined
    do {
      const page = await client.receipts(
        '2026-04-01T00:00:00+08:00',
        '2026-04-03T00:00:00+08:00',
        cursor,
      )
      ids.push(...page.receipts.map((r) => r.id))
      cursor = page.hasMore ? page.cursor : undefined
      cursors.push(cursor)
    } while (cursor)
    expect(ids).toEqual(mine.map((p) => p.id))
    expect(cursors).toEqual([expect.any(String), undefined])
    await expect(client.receipts('2026-04-01', '2026-04-03T00:00:00Z')).rejects.toThrow(/RFC 3339/)
  })
})
