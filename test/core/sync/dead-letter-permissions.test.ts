/**
 * The dead letters are an admin's, checked in core, with the kiosk and the reference CRM over
 * real HTTP: a supervisor's session is refused listing, retrying and discarding them with
 * PERMISSION_DENIED and nothing moves; an admin signed in with their own badge acts, and the
 * audit trail names them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Caller } from '../../../electron/core/gate'
import { hashPin } from '../../../electron/core/roster/pin'
import { Roster } from '../../../electron/core/roster/roster'
import { ErrorCode } from '../../../electron/shared/errors'
import { startReferenceCrm, type ReferenceCrm } from '../../crm/reference-server'
import { ada, TOKEN, tempDir } from '../../crm/fixtures'
import { call, openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'

const supervisor: Caller = { id: 'screen-supervisor' }
const admin: Caller = { id: 'screen-admin' }

let crm: ReferenceCrm
let crmDir: Awaited<ReturnType<typeof tempDir>>
let t: TestKiosk

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

beforeEach(async () => {
  crmDir = await tempDir()
  crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN] })
  await crm.upsertEmployee(ada)
  t = await openTestKiosk(
    {
      crm: { url: crm.url, deviceToken: TOKEN, deviceId: 'lobby-1', retryBaseMs: 20 },
      attendance: { switchWindowSeconds: 0 },
      adminPinHash: hashPin('2468'),
    },
    Date.now(),
  )
  await until(() => new Roster(t.kiosk.store).byBadge('10001') !== undefined, 'the roster')
  // People the CRM does not know: their punches come back refused.
  t.importCsv(
    [
      'id,name,badge,pin,role',
      'L010,李娜,50010,1357,supervisor',
      'L011,Omar Haddad,50011,2580,admin',
    ].join('\n'),
  )
  for (const badge of ['50010', '50011']) {
    t.clock.advance(5 * 60_000)
    await call(t.kiosk, 'recordBadgePunch', { badge })
  }
  await until(() => t.kiosk.sync.outbox.depth().deadLetters === 2, 'two dead letters')
})
afterEach(async () => {
  await t.cleanup()
  await crm.stop()
  await crmDir.cleanup()
})

async function answer(channel: string, payload: unknown, caller: Caller) {
  return t.kiosk.gate(channel, payload, caller)
}

describe('dead letter permissions', () => {
  it('refuses a supervisor every dead-letter operation; the upload status stays open to all', async () => {
    expect(await answer('admin:unlock', { badge: '50010', pin: '1357' }, supervisor)).toMatchObject(
      { ok: true },
    )
    const [first, second] = t.kiosk.sync.outbox.deadLetters()
    const attempts: [string, unknown][] = [
      ['sync:dead-letters', null],
      ['sync:dead-letter-retry', { punchId: first!.punchId }],
      ['sync:dead-letter-discard', { punchId: second!.punchId, reason: 'test badge' }],
    ]
    for (const [channel, payload] of attempts) {
      expect(await answer(channel, payload, supervisor), channel).toMatchObject({
        ok: false,
        error: { code: ErrorCode.PermissionDenied, details: { permission: 'uploads' } },
      })
    }
    expect(t.kiosk.sync.outbox.depth()).toMatchObject({ deadLetters: 2 })
    expect(await answer('sync:status', null, supervisor)).toMatchObject({ ok: true })
  })

  it("records an admin's retry and discard under their own name", async () => {
    expect(await answer('admin:unlock', { badge: '50011', pin: '2580' }, admin)).toMatchObject({
      ok: true,
    })
    const list = await answer('sync:dead-letters', null, admin)
    expect(list).toMatchObject({
      ok: true,
      value: [{ employeeId: 'L010' }, { employeeId: 'L011' }],
    })
    const [first, second] = t.kiosk.sync.outbox.deadLetters()
    await crm.upsertEmployee({ id: 'L010', name: '李娜', active: true })
    expect(
      await answer('sync:dead-letter-retry', { punchId: first!.punchId }, admin),
    ).toMatchObject({ ok: true })
    expect(
      await answer(
        'sync:dead-letter-discard',
        { punchId: second!.punchId, reason: 'test badge' },
        admin,
      ),
    ).toMatchObject({ ok: true })
    const trail = t.kiosk.store.all<{ actor: string; action: string }>(
      `SELECT actor, action FROM audit WHERE action LIKE 'dead-letter.%' ORDER BY seq`,
    )
    expect(trail).toEqual([
      { actor: 'employee:L011', action: 'dead-letter.retry' },
      { actor: 'employee:L011', action: 'dead-letter.discard' },
    ])
    await until(() => crm.punches().some((p) => p.punch.id === first!.punchId), 'the retry')
  })
})
