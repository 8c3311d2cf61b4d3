/**
 * The upload loop's schedule and failure handling, on a real store with a manual clock. The
 * network is the edge here: a scripted client answers each upload as the test says.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OutgoingPunch, UploadOutcome } from '../../../electron/core/connectors/connector'
import { CrmError, type CrmPunch } from '../../../electron/core/sync/crm-client'
import { silentLogger } from '../../../electron/core/logger'
import {
  Uploader,
  type Connection,
  type PunchUploadClient,
} from '../../../electron/core/sync/uploader'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'
import { ManualScheduler, settle } from '../../fixtures/manual-scheduler'

type Step = 'ok' | CrmError | ((punches: CrmPunch[]) => UploadOutcome[] | CrmError)

class ScriptedCrm implements PunchUploadClient {
  readonly uploads: { at: number; ids: string[] }[] = []
  healthChecks = 0
  constructor(
    private readonly scheduler: ManualScheduler,
    public script: Step[] = [],
  ) {}
  async upload(batch: readonly OutgoingPunch[]): Promise<UploadOutcome[]> {
    const punches = batch.map((item) => item.punch)
    this.uploads.push({ at: this.scheduler.now(), ids: punches.map((p) => p.id) })
    const step = this.script.shift() ?? 'ok'
    const answer = typeof step === 'function' ? step(punches) : step
    if (answer instanceof CrmError) throw answer
    return answer === 'ok' ? punches.map((p) => ({ id: p.id, status: 'created' as const })) : answer
  }
  async health(): Promise<unknown> {
    this.healthChecks++
    return { status: 'ok' }
  }
}

let t: TestKiosk
let scheduler: ManualScheduler
let crm: ScriptedCrm
let connections: Connection['state'][]

function uploader(
  options: { batchSize?: number; holdBackMs?: number; random?: () => number } = {},
) {
  return new Uploader({
    outbox: t.kiosk.sync.outbox,
    client: crm,
    scheduler,
    policy: { baseMs: 1000, capMs: 300_000 },
    batchSize: options.batchSize ?? 100,
    holdBackMs: options.holdBackMs ?? 0,
    log: silentLogger,
    onConnection: (c) => connections.push(c.state),
    onProgress: () => {},
    random: options.random ?? (() => 0.999999),
  })
}

async function punch(badge: string) {
  t.clock.advance(200_000)
  const result = await t.kiosk.gate('attendance:badge', { badge })
  expect(result.ok).toBe(true)
}

const pending = () => t.kiosk.sync.outbox.depth().pending
const network = () => new CrmError('network', 'connection reset')

beforeEach(async () => {
  t = await openTestKiosk()
  t.importCsv(sampleRosterCsv)
  scheduler = new ManualScheduler(t.clock.now + 3_600_000)
  crm = new ScriptedCrm(scheduler)
  connections = []
})
afterEach(() => t.cleanup())

describe('uploader', () => {
  it('backs off 1 s, 2 s, 4 s … with full jitter and drains when the CRM is back', async () => {
    await punch('10001')
    crm.script = [network(), network(), network(), network()]
    uploader().wake('start')
    await settle()
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      delays.push(scheduler.pending()[0]!)
      await scheduler.advance(scheduler.pending()[0]!)
    }
    expect(delays).toEqual([999, 1999, 3999, 7999])
    expect(pending()).toBe(0)
    expect(crm.uploads).toHaveLength(5)
    expect(connections).toEqual(['offline', 'online'])
  })

  it("waits as long as the server's Retry-After says", async () => {
    await punch('10001')
    crm.script = [new CrmError('rate-limited', 'slow down', { status: 429, retryAfterMs: 42_000 })]
    uploader().wake('start')
    await settle()
    expect(scheduler.pending()).toEqual([42_000])
    await scheduler.advance(41_999)
    expect(crm.uploads).toHaveLength(1)
    await scheduler.advance(1)
    expect(crm.uploads).toHaveLength(2)
    expect(pending()).toBe(0)
  })

  it('does not let new punches cut a backoff short, but a network hint does', async () => {
    await punch('10001')
    crm.script = [network(), network()]
    const u = uploader()
    u.wake('start')
    await settle()
    await punch('10002')
    u.wake('punch')
    await settle()
    expect(crm.uploads).toHaveLength(1)
    u.wake('network')
    await settle()
    expect(crm.uploads).toHaveLength(2)
    expect(scheduler.pending()).toEqual([1999])
    await scheduler.advance(1999)
    expect(pending()).toBe(0)
  })

  it('stops on 401 as "unauthorised", checks back slowly, and punching goes on', async () => {
    await punch('10001')
    crm.script = [new CrmError('unauthorised', 'bad token', { status: 401 })]
    const u = uploader()
    u.wake('start')
    await settle()
    expect(connections).toEqual(['unauthorised'])
    await punch('10002')
    u.wake('punch')
    await settle()
    expect(crm.uploads).toHaveLength(1)
    expect(pending()).toBe(2)
    expect(scheduler.pending()).toEqual([300_000])
    await scheduler.advance(300_000)
    expect(pending()).toBe(0)
  })

  it('moves rejected punches to the dead letters and settles the rest of the batch', async () => {
    await punch('10001')
    await punch('10002')
    crm.script = [
      (punches) =>
        punches.map((p, i) =>
          i === 0
            ? { id: p.id, status: 'rejected' as const, reason: 'unknown_employee' }
            : { id: p.id, status: 'duplicate' as const },
        ),
    ]
    uploader().wake('start')
    await settle()
    expect(pending()).toBe(0)
    const dead = t.kiosk.sync.outbox.deadLetters()
    expect(dead).toHaveLength(1)
    expect(dead[0]).toMatchObject({ employeeId: 'E001', reason: 'unknown_employee' })
  })

  it('halves a batch the CRM refuses as a whole until the bad punch stands alone', async () => {
    for (let i = 0; i < 4; i++) await punch(i % 2 ? '10001' : '10002')
    const ids = t.kiosk.store.all<{ punch_id: string }>(
      'SELECT punch_id FROM outbox ORDER BY enqueued_at',
    )
    const bad = ids[2]!.punch_id
    const refuseBad = (punches: CrmPunch[]) =>
      punches.some((p) => p.id === bad)
        ? new CrmError('rejected-request', 'punches[0].type is invalid', { status: 400 })
        : punches.map((p) => ({ id: p.id, status: 'created' as const }))
    crm.script = Array.from({ length: 10 }, () => refuseBad)
    uploader().wake('start')
    await settle()
    expect(pending()).toBe(0)
    expect(t.kiosk.sync.outbox.deadLetters().map((d) => d.punchId)).toEqual([bad])
    expect(crm.uploads.map((u) => u.ids.length)).toEqual([4, 2, 2, 1, 1])
  })

  it('holds punches back for the switch window, then sends them', async () => {
    await punch('10001')
    scheduler.current = t.clock.now + 2000
    uploader({ holdBackMs: 10_000 }).wake('start')
    await settle()
    expect(crm.uploads).toHaveLength(0)
    expect(scheduler.pending()).toEqual([8000])
    await scheduler.advance(8000)
    expect(crm.uploads).toHaveLength(1)
  })

  it('treats a malformed answer as a failure and settles nothing', async () => {
    await punch('10001')
    crm.script = [new CrmError('malformed', 'HTML instead of JSON', { status: 200 })]
    uploader().wake('start')
    await settle()
    expect(pending()).toBe(1)
    expect(connections).toEqual(['offline'])
    expect(scheduler.pending()).toEqual([999])
  })

  it('settles what a connector answered for, keeps the punches it asks to wait, and backs off', async () => {
    for (const badge of ['10001', '10002', '10001']) await punch(badge)
    const limited = new CrmError('rate-limited', 'slow down', { retryAfterMs: 30_000 })
    crm.script = [
      (punches) =>
        punches.map((p, i) =>
          i === 1
            ? { id: p.id, status: 'retry' as const, error: limited }
            : { id: p.id, status: 'created' as const },
        ),
    ]
    uploader().wake('start')
    await settle()
    expect(pending()).toBe(1)
    expect(connections).toEqual(['offline'])
    expect(scheduler.pending()).toEqual([30_000])
    await scheduler.advance(30_000)
    expect(pending()).toBe(0)
    expect(crm.uploads.map((u) => u.ids.length)).toEqual([3, 1])
  })

  it('settles nothing when a connector answers for a punch it was not sent, or not for all', async () => {
    await punch('10001')
    await punch('10002')
    crm.script = [
      (punches) => [{ id: punches[0]!.id, status: 'created' as const }],
      (punches) => [...punches, punches[0]!].map((p) => ({ id: p.id, status: 'created' as const })),
    ]
    uploader().wake('start')
    await settle()
    expect(pending()).toBe(2)
    await scheduler.advance(scheduler.pending()[0]!)
    expect(pending()).toBe(2)
    expect(crm.uploads).toHaveLength(2)
  })
})
