/**
 * The kiosk and the reference CRM together, over real HTTP on 127.0.0.1 with real timers:
 * uploads with clock fields, roster sync, dead letters and admin actions, heartbeat, 401, and
 * catching up after the CRM comes back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Config } from '../../../electron/core/config/config'
import { hashPin } from '../../../electron/core/roster/pin'
import { Roster } from '../../../electron/core/roster/roster'
import type { PunchOutcome } from '../../../electron/shared/types'
import { startReferenceCrm, type ReferenceCrm } from '../../crm/reference-server'
import { ada, bob, gone, TOKEN, tempDir } from '../../crm/fixtures'
import { call, openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'

let crm: ReferenceCrm
let crmDir: Awaited<ReturnType<typeof tempDir>>
let t: TestKiosk | undefined

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function kiosk(
  overrides: Partial<Config['crm']> = {},
  extra: Partial<Config> = {},
): Promise<TestKiosk> {
  t = await openTestKiosk(
    {
      crm: {
        url: crm.url,
        deviceToken: TOKEN,
        deviceId: 'lobby-1',
        retryBaseMs: 20,
        retryCapSeconds: 1,
        ...overrides,
      },
      attendance: { switchWindowSeconds: 0 },
      adminPinHash: hashPin('2468'),
      ...extra,
    },
    Date.now(),
  )
  t.clock.now = Date.now()
  return t
}

async function badge(b: string): Promise<PunchOutcome> {
  t!.clock.advance(5 * 60_000)
  // Face-and-badge mode is off here: a badge always punches.
  return (await call(t!.kiosk, 'recordBadgePunch', { badge: b })) as PunchOutcome
}

beforeEach(async () => {
  crmDir = await tempDir()
  crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN], pageSize: 2 })
  for (const e of [ada, bob, gone]) await crm.upsertEmployee(e)
})
afterEach(async () => {
  await t?.cleanup()
  t = undefined
  await crm.stop()
  await crmDir.cleanup()
})

describe('sync with the CRM', () => {
  it('syncs the roster and uploads a badge punch exactly once, with its clock fields', async () => {
    const { kiosk: k } = await kiosk()
    await until(() => new Roster(k.store).byBadge('10001') !== undefined, 'the roster')
    await until(() => k.sync.clock.offsetMs !== null, 'a clock reading')
    const punch = await badge('10001')
    await until(() => crm.punches().length === 1, 'the upload')
    const stored = crm.punches()[0]!.punch
    expect(stored).toMatchObject({
      id: punch.punch.id,
      employeeId: 'E001',
      type: 'in',
      method: 'badge',
      siteId: 'hq',
      timeZone: 'Asia/Shanghai',
      occurredAt: punch.punch.occurredAt,
      clock: { trusted: true, bootId: expect.any(String) },
    })
    expect(Math.abs(stored.clock!.serverOffsetMs!)).toBeLessThan(2000)
    await until(() => k.sync.status().pending === 0, 'an empty queue')
    expect(k.sync.status()).toMatchObject({ mode: 'online', pending: 0, offlineSince: null })
    expect(k.sync.status().lastSyncAt).not.toBeNull()
  })

  it('flags punches untrusted when the kiosk clock is minutes off the CRM', async () => {
    await crm.stop()
    crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN], clockSkewMs: 5 * 60_000 })
    const { kiosk: k } = await kiosk()
    await until(() => new Roster(k.store).byBadge('10002') !== undefined, 'the roster')
    await badge('10002')
    await until(() => crm.punches().length === 1, 'the upload')
    const clock = crm.punches()[0]!.punch.clock!
    expect(clock.trusted).toBe(false)
    expect(clock.serverOffsetMs).toBeGreaterThan(4 * 60_000)
    expect(clock.serverOffsetMs).toBeLessThan(6 * 60_000)
  })

  it('follows roster changes by cursor; the inactive disappear, the rest work offline', async () => {
    for (let i = 3; i <= 7; i++)
      await crm.upsertEmployee({
        id: `E00${i}`,
        name: `Person ${i}`,
        active: true,
        badges: [`2000${i}`],
      })
    const { kiosk: k } = await kiosk()
    const roster = new Roster(k.store)
    await until(() => roster.byBadge('20007') !== undefined, 'a full sync over several pages')
    expect(roster.byId('E099')?.active ?? false).toBe(false)
    await crm.upsertEmployee({ ...bob, active: false })
    await crm.upsertEmployee({ ...ada, badges: ['10001', '30001'] })
    await k.sync.syncRosterNow()
    expect(roster.byId('E002')?.active).toBe(false)
    expect(await k.gate('attendance:badge', { badge: '10002' })).toMatchObject({
      ok: false,
      error: { code: 'EMPLOYEE_INACTIVE' },
    })
    await crm.stop()
    expect((await badge('30001')).punch.employeeName).toBe('Ada Lovelace')
  })

  it('puts refused punches in the dead letters; an admin retries or discards them, audited', async () => {
    const { kiosk: k } = await kiosk()
    await until(() => new Roster(k.store).byBadge('10001') !== undefined, 'the roster')
    t!.importCsv('id,name,badge\nL001,Local Only,40001\nL002,Also Local,40002')
    await badge('40001')
    await badge('40002')
    await until(() => k.sync.outbox.depth().deadLetters === 2, 'two dead letters')
    expect(await k.gate('sync:dead-letters', undefined)).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_REQUIRED' },
    })
    expect(await k.gate('admin:unlock', { pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_WRONG' },
    })
    expect(await k.gate('admin:unlock', { pin: '2468' })).toMatchObject({ ok: true })
    const list = await k.gate('sync:dead-letters', undefined)
    expect(list).toMatchObject({
      ok: true,
      value: [{ employeeId: 'L001', reason: 'unknown_employee' }, { employeeId: 'L002' }],
    })
    const [first, second] = (list as { value: { punchId: string }[] }).value
    await crm.upsertEmployee({ id: 'L001', name: 'Local Only', active: true })
    expect(await k.gate('sync:dead-letter-retry', { punchId: first!.punchId })).toMatchObject({
      ok: true,
    })
    await until(() => crm.punches().some((p) => p.punch.id === first!.punchId), 'the retried punch')
    expect(
      await k.gate('sync:dead-letter-discard', { punchId: second!.punchId, reason: 'test badge' }),
    ).toMatchObject({ ok: true })
    expect(k.sync.outbox.depth()).toMatchObject({ pending: 0, deadLetters: 0 })
    const audit = k.store.all<{ action: string; subject: string }>(
      `SELECT action, subject FROM audit WHERE action LIKE 'dead-letter.%' ORDER BY seq`,
    )
    expect(audit).toEqual([
      { action: 'dead-letter.retry', subject: first!.punchId },
      { action: 'dead-letter.discard', subject: second!.punchId },
    ])
    expect(k.store.get('SELECT 1 FROM punches WHERE id = ?', [second!.punchId])).toBeDefined()
  })

  it('says "unauthorised" on a bad token, and punching goes on', async () => {
    const { kiosk: k } = await kiosk({ deviceToken: 'not-the-right-token' })
    t!.importCsv('id,name,badge\nE001,Ada Lovelace,10001')
    await until(() => k.sync.status().mode === 'unauthorised', 'the 401')
    await badge('10001')
    expect(k.sync.status()).toMatchObject({ mode: 'unauthorised', pending: 1 })
    expect(crm.punches()).toEqual([])
  })

  it('keeps punches while the CRM is down and drains when it returns', async () => {
    const { kiosk: k } = await kiosk()
    await until(() => new Roster(k.store).byBadge('10001') !== undefined, 'the roster')
    await crm.stop()
    await badge('10001')
    await badge('10002')
    await until(() => k.sync.status().mode === 'offline', 'going offline')
    expect(k.sync.status()).toMatchObject({ pending: 2, offlineSince: expect.any(String) })
    await crm.restart()
    k.sync.networkHint()
    await until(() => crm.punches().length === 2, 'the queue to drain')
    await until(() => k.sync.status().mode === 'online', 'online again')
    expect(k.sync.status().pending).toBe(0)
  })

  it('sends a heartbeat with the queue depth', async () => {
    await kiosk()
    await until(() => crm.heartbeats()['lobby-1'] !== undefined, 'a heartbeat')
    expect(crm.heartbeats()['lobby-1']).toMatchObject({ body: { queueDepth: 0, siteId: 'hq' } })
  })
})
