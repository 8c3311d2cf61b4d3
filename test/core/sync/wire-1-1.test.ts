/**
 * Contract 1.1 through the kiosk: corrections and automatic check-outs uploaded as the contract
 * carries them, roles from the CRM roster stored (and an unknown role granting nothing). The
 * real kiosk core and the reference CRM over HTTP on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Logger } from '../../../electron/core/logger'
import type { SqlValue } from '../../../electron/core/store/types'
import { Roster } from '../../../electron/core/roster/roster'
import { ada, bob, TOKEN, tempDir } from '../../crm/fixtures'
import { startReferenceCrm, type ReferenceCrm } from '../../crm/reference-server'
import { openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'

let crm: ReferenceCrm
let crmDir: Awaited<ReturnType<typeof tempDir>>
let t: TestKiosk | undefined
const warnings: string[] = []
const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} }

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function kiosk(): Promise<TestKiosk> {
  t = await openTestKiosk(
    {
      crm: { url: crm.url, deviceToken: TOKEN, deviceId: 'lobby-1', retryBaseMs: 20 },
      attendance: { switchWindowSeconds: 0 },
    },
    Date.now(),
    log,
  )
  await until(() => new Roster(t!.kiosk.store).byId(ada.id) !== undefined, 'the roster')
  return t
}

const at = Date.parse('2026-03-02T01:00:00Z')

/** A punch row as the attendance engine writes one, queued for upload. */
function queuePunch(row: Record<string, SqlValue>): string {
  const id = randomUUID()
  const full: Record<string, SqlValue> = {
    id,
    employee_id: ada.id,
    employee_name: ada.name,
    type: 'in',
    method: 'manual',
    occurred_at: at,
    utc_offset_min: 480,
    time_zone: 'Asia/Shanghai',
    local_date: '2026-03-02',
    site_id: 'hq',
    ...row,
  }
  const names = Object.keys(full)
  t!.kiosk.store.commit([
    [
      `INSERT INTO punches (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      Object.values(full),
    ],
    [`INSERT INTO outbox (punch_id, enqueued_at) VALUES (?, ?)`, [id, at]],
  ])
  t!.kiosk.sync.punchRecorded()
  return id
}

const atCrm = (id: string) => crm.punches().find((p) => p.punch.id === id)?.punch

beforeEach(async () => {
  warnings.length = 0
  crmDir = await tempDir()
  crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN] })
  await crm.upsertEmployee({ ...ada, role: 'supervisor' })
  await crm.upsertEmployee({ ...bob, role: 'root' })
  await crm.upsertEmployee({ id: 'E003', name: 'No Role', active: true })
})
afterEach(async () => {
  await t?.cleanup()
  t = undefined
  await crm.stop()
  await crmDir.cleanup()
})

describe('contract 1.1 through the kiosk', () => {
  it('uploads a correction with its kind, what it supersedes, who, when and why', async () => {
    await kiosk()
    const original = queuePunch({ method: 'badge' })
    const enteredAt = Date.parse('2026-03-03T02:15:30.250Z')
    const amended = queuePunch({
      occurred_at: at - 20 * 60_000,
      correction_kind: 'amended',
      supersedes: original,
      correction_reason: 'came in at 08:40, badge reader was down',
      entered_by: 'admin',
      entered_at: enteredAt,
    })
    const added = queuePunch({
      type: 'out',
      correction_kind: 'added',
      correction_reason: '补签',
      entered_by: 'E001',
      entered_at: enteredAt,
    })
    await until(() => atCrm(added) !== undefined && atCrm(amended) !== undefined, 'the uploads')
    expect(atCrm(amended)).toMatchObject({
      method: 'manual',
      occurredAt: '2026-03-02T08:40:00+08:00',
      correction: {
        kind: 'amended',
        supersedes: original,
        reason: 'came in at 08:40, badge reader was down',
        enteredBy: 'admin',
        enteredAt: '2026-03-03T10:15:30+08:00',
      },
    })
    expect(atCrm(added)?.correction).toEqual({
      kind: 'added',
      reason: '补签',
      enteredBy: 'E001',
      enteredAt: '2026-03-03T10:15:30+08:00',
    })
    expect(atCrm(original)?.correction).toBeUndefined()
  })

  it('passes an automatic check-out through as method auto', async () => {
    await kiosk()
    const auto = queuePunch({ type: 'out', method: 'auto' })
    await until(() => atCrm(auto) !== undefined, 'the upload')
    expect(atCrm(auto)).toMatchObject({ type: 'out', method: 'auto' })
    expect(t!.kiosk.sync.outbox.depth()).toMatchObject({ pending: 0, deadLetters: 0 })
  })

  it('dead-letters, unsent, a correction the contract cannot carry; the rest still upload', async () => {
    const { kiosk: k } = await kiosk()
    const good = queuePunch({ method: 'badge' })
    const cases = {
      noReason: { correction_kind: 'added', entered_by: 'admin', entered_at: at },
      longReason: {
        correction_kind: 'added',
        correction_reason: 'x'.repeat(501),
        entered_by: 'admin',
        entered_at: at,
      },
      nobody: { correction_kind: 'added', correction_reason: 'late', entered_at: at },
      voidsNothing: {
        correction_kind: 'voided',
        correction_reason: 'wrong badge',
        entered_by: 'admin',
        entered_at: at,
      },
      supersedesGarbage: {
        correction_kind: 'amended',
        supersedes: 'punch-1',
        correction_reason: 'wrong time',
        entered_by: 'admin',
        entered_at: at,
      },
    }
    const ids = Object.values(cases).map((row) => queuePunch(row))
    const after = queuePunch({ method: 'badge' })
    await until(() => atCrm(after) !== undefined && atCrm(good) !== undefined, 'the good ones')
    await until(() => k.sync.outbox.depth().deadLetters === ids.length, 'the dead letters')
    const letters = k.sync.outbox.deadLetters()
    expect(letters.map((d) => d.punchId).sort()).toEqual([...ids].sort())
    const reasons = Object.fromEntries(letters.map((d) => [d.punchId, d.reason]))
    expect(reasons[ids[0]!]).toMatch(/^invalid_correction: the reason must be 1 to 500/)
    expect(reasons[ids[1]!]).toMatch(/reason must be 1 to 500/)
    expect(reasons[ids[2]!]).toMatch(/who entered the correction/)
    expect(reasons[ids[3]!]).toMatch(/a voided punch must name the punch it supersedes/)
    expect(reasons[ids[4]!]).toMatch(/not a punch id/)
    for (const id of ids) expect(atCrm(id)).toBeUndefined()
  })

  it('stores roles from the roster; an unknown role is stored as staff, with a warning', async () => {
    const { kiosk: k } = await kiosk()
    const role = (id: string) =>
      k.store.get<{ role: string }>(`SELECT role FROM employees WHERE id = ?`, [id])?.role
    expect(role(ada.id)).toBe('supervisor')
    expect(role(bob.id)).toBe('staff')
    expect(role('E003')).toBe('staff')
    expect(warnings.filter((w) => w.includes('role'))).toEqual([
      `roster: employee "${bob.id}" has role "root", which this kiosk does not know; stored as staff`,
    ])
    await crm.upsertEmployee({ ...ada, role: 'staff' })
    await crm.upsertEmployee({ ...bob, role: 'admin' })
    await k.sync.syncRosterNow()
    expect([role(ada.id), role(bob.id)]).toEqual(['staff', 'admin'])
  })
})
