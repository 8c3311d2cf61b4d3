/**
 * Each way a network or a CRM can fail, made by the fault proxy in front of the reference CRM,
 * reaches the kiosk as the right kind of CrmError; and with retries, punches still land once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCrmClient, CrmError, type CrmClient } from '../../electron/core/sync/crm-client'
import type { CrmPunch } from '../../electron/core/sync/crm-types'
import { startFaultProxy, type FaultProxy, type FaultShares } from './fault-proxy'
import { ada, punch, tempDir, TOKEN } from './fixtures'
import { startReferenceCrm, type ReferenceCrm } from './reference-server'

let crm: ReferenceCrm
let proxy: FaultProxy
let dir: { dir: string; cleanup(): Promise<void> }

beforeAll(async () => {
  dir = await tempDir()
  crm = await startReferenceCrm({ dataDir: dir.dir, tokens: [TOKEN] })
  await crm.upsertEmployee(ada)
  proxy = await startFaultProxy({
    target: crm.url,
    seed: 7,
    faults: {},
    slowMs: 300,
    retryAfterSeconds: 2,
  })
})
afterAll(async () => {
  await proxy.stop()
  await crm.stop()
  await dir.cleanup()
})

function client(timeoutMs = 5_000, baseUrl = proxy.url): CrmClient {
  return createCrmClient({ baseUrl, deviceToken: TOKEN, deviceId: 'kiosk-1', timeoutMs })
}

/** Uploads one punch with every request meeting `fault`; returns the error and the punch. */
async function uploadThrough(
  faults: FaultShares,
  timeoutMs?: number,
): Promise<{ error: CrmError; sent: CrmPunch }> {
  proxy.setFaults(faults)
  const sent = punch()
  try {
    const results = await client(timeoutMs).uploadPunches([sent])
    throw new Error(`accepted ${JSON.stringify(results)} through ${JSON.stringify(faults)}`)
  } catch (error) {
    if (!(error instanceof CrmError)) throw error
    return { error, sent }
  } finally {
    proxy.setFaults({})
  }
}

const stored = (p: CrmPunch) => crm.punches().some((s) => s.punch.id === p.id)

describe('CRM client through the fault proxy', () => {
  it('resetBeforeCommit: network, and the CRM never saw the punch', async () => {
    const { error, sent } = await uploadThrough({ resetBeforeCommit: 1 })
    expect(error).toMatchObject({ kind: 'network', retryable: true })
    expect(stored(sent)).toBe(false)
  })

  it('resetAfterCommit: network, the CRM kept it, and the retry answers duplicate', async () => {
    const { error, sent } = await uploadThrough({ resetAfterCommit: 1 })
    expect(error.kind).toBe('network')
    expect(stored(sent)).toBe(true)
    expect(await client().uploadPunches([sent])).toEqual([{ id: sent.id, status: 'duplicate' }])
  })

  it('blackHole: network once the client deadline passes', async () => {
    const started = Date.now()
    const { error } = await uploadThrough({ blackHole: 1 }, 300)
    expect(error.kind).toBe('network')
    expect(error.message).toMatch(/within 300 ms/)
    expect(Date.now() - started).toBeLessThan(3_000)
  })

  it('status500: server', async () => {
    expect((await uploadThrough({ status500: 1 })).error).toMatchObject({
      kind: 'server',
      status: 500,
      retryable: true,
    })
  })

  it('status502: server', async () => {
    expect((await uploadThrough({ status502: 1 })).error).toMatchObject({
      kind: 'server',
      status: 502,
    })
  })

  it('status503: unavailable, with Retry-After seconds', async () => {
    const { error } = await uploadThrough({ status503: 1 })
    expect(error).toMatchObject({ kind: 'unavailable', status: 503, retryAfterMs: 2_000 })
  })

  it('status429: rate-limited, with Retry-After seconds', async () => {
    const { error } = await uploadThrough({ status429: 1 })
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2_000 })
  })

  it('Retry-After as an HTTP date becomes the wait until that date', async () => {
    const dated = await startFaultProxy({
      target: crm.url,
      faults: { status429: 1 },
      retryAfterSeconds: 30,
      retryAfterAsDate: true,
    })
    try {
      const error = await client(5_000, dated.url)
        .health()
        .catch((e: unknown) => e as CrmError)
      expect(error).toMatchObject({ kind: 'rate-limited' })
      // Both dates are whole seconds, and Node may stamp Date from a clock cached up to 1 s.
      expect(Math.abs((error as CrmError).retryAfterMs! - 30_000)).toBeLessThanOrEqual(2_000)
    } finally {
      await dated.stop()
    }
  })

  it('malformedJson: malformed, whether cut off or of the wrong shape', async () => {
    for (let i = 0; i < 2; i++) {
      const { error } = await uploadThrough({ malformedJson: 1 })
      expect(error).toMatchObject({ kind: 'malformed', status: 200, retryable: true })
    }
    expect(proxy.counts().malformedJson).toBe(2)
  })

  it('html200: malformed, for JSON answers and for 204 answers alike (a captive portal)', async () => {
    expect((await uploadThrough({ html200: 1 })).error.kind).toBe('malformed')
    proxy.setFaults({ html200: 1 })
    const beat = client().heartbeat({ version: '0.1.0', queueDepth: 0 })
    await expect(beat).rejects.toMatchObject({ kind: 'malformed', status: 200 })
    proxy.setFaults({})
    expect(crm.heartbeats()['kiosk-1']).toBeUndefined()
  })

  it('slow: the answer arrives late but whole; a deadline shorter than the delay is network', async () => {
    proxy.setFaults({ slow: 1 })
    const sent = punch()
    const started = Date.now()
    expect(await client().uploadPunches([sent])).toEqual([{ id: sent.id, status: 'created' }])
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    const { error } = await uploadThrough({ slow: 1 }, 100)
    expect(error.kind).toBe('network')
  })

  it('picks faults deterministically from the seed, in the shares asked for', async () => {
    const outcomes = async () => {
      const p = await startFaultProxy({
        target: crm.url,
        seed: 42,
        faults: { status503: 0.3, status500: 0.2 },
      })
      const kinds: string[] = []
      for (let i = 0; i < 40; i++) {
        kinds.push(
          await client(5_000, p.url)
            .health()
            .then(
              () => 'ok',
              (e: CrmError) => e.kind,
            ),
        )
      }
      const counts = p.counts()
      await p.stop()
      return { kinds, counts }
    }
    const first = await outcomes()
    expect((await outcomes()).kinds).toEqual(first.kinds)
    expect(first.counts.passed + first.counts.status503 + first.counts.status500).toBe(40)
    expect(first.counts.status503).toBeGreaterThan(4)
    expect(first.counts.status500).toBeGreaterThan(2)
    expect(first.counts.passed).toBeGreaterThan(10)
    expect(() => proxy.setFaults({ status500: 0.6, status502: 0.6 })).toThrow(RangeError)
  })

  it('under mixed faults, retrying until every punch has an answer stores each exactly once', async () => {
    proxy.setFaults({
      resetBeforeCommit: 0.15,
      resetAfterCommit: 0.15,
      status503: 0.1,
      status429: 0.05,
      malformedJson: 0.05,
      html200: 0.05,
    })
    const pending = new Map(Array.from({ length: 30 }, () => punch()).map((p) => [p.id, p]))
    const sent = [...pending.values()]
    for (let attempt = 0; pending.size > 0 && attempt < 200; attempt++) {
      const batch = [...pending.values()].slice(0, 5)
      const results = await client()
        .uploadPunches(batch)
        .catch((e: unknown) => {
          if (!(e instanceof CrmError) || !e.retryable) throw e
          return []
        })
      for (const result of results) if (result.status !== 'rejected') pending.delete(result.id)
    }
    proxy.setFaults({})
    expect(pending.size).toBe(0)
    const ids = crm.punches().map((p) => p.punch.id)
    for (const p of sent) expect(ids.filter((id) => id === p.id)).toHaveLength(1)
    expect(proxy.counts().resetAfterCommit).toBeGreaterThan(0)
  })
})
