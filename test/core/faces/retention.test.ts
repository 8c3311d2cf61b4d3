/**
 * Face data leaves on time while the kiosk keeps running, and every erasure on deactivation
 * (roster file or CRM) is audited per person, with who and why.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openKiosk, type Kiosk } from '../../../electron/core/kiosk'
import { silentLogger } from '../../../electron/core/logger'
import { importRoster } from '../../../electron/core/roster/import'
import { Roster } from '../../../electron/core/roster/roster'
import type { Store } from '../../../electron/core/store/types'
import { startReferenceCrm } from '../../crm/reference-server'
import { ada, bob, gone, TOKEN, tempDir } from '../../crm/fixtures'
import { face, variants } from '../../fixtures/descriptors'
import { call, openTestKiosk, sampleRosterCsv, testConfig } from '../../fixtures/kiosk'
import { ManualScheduler } from '../../fixtures/manual-scheduler'

const day = 86_400_000
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const identify = (kiosk: Kiosk, d: Float32Array) =>
  call(kiosk, 'identifyFace', { descriptor: [...d], liveness: 'passed' })

function faceErasures(store: Store): { actor: string; subject: string; reason: string }[] {
  return store
    .all<{ actor: string; subject: string; detail: string }>(
      `SELECT actor, subject, detail FROM audit WHERE action = 'faces.delete' ORDER BY seq`,
    )
    .map((r) => ({
      actor: r.actor,
      subject: r.subject,
      reason: (JSON.parse(r.detail) as { reason: string }).reason,
    }))
}

describe('face retention and deactivation', () => {
  it('stops matching a template whose consent expires while the kiosk runs', async () => {
    const scheduler = new ManualScheduler()
    const dataDir = await mkdtemp(join(tmpdir(), 'clockface-retention-'))
    const kiosk = await openKiosk({
      loaded: {
        config: testConfig({ faces: { liveness: 'off', retentionDays: 730 } }),
        dataDir,
        path: '(test)',
        fromFile: false,
      },
      platform: { now: () => scheduler.now() },
      scheduler,
      log: silentLogger,
    })
    cleanups.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => kiosk.close(),
    )
    importRoster(kiosk.store, sampleRosterCsv, scheduler.now())
    const signedAt = scheduler.now() - 730 * day + 12 * 3_600_000
    await kiosk.faces.enrolDescriptors(
      'E001',
      variants(1, 3),
      { method: 'paper', signedAt },
      'test',
    )
    await identify(kiosk, face(1, 0.1))
    expect(await identify(kiosk, face(1, 0.1))).toMatchObject({ status: 'recorded' })

    await scheduler.advance(day)
    await identify(kiosk, face(1, 0.1))
    expect(await identify(kiosk, face(1, 0.1))).toEqual({ status: 'unknown' })
    expect(kiosk.faces.person('E001')).toMatchObject({ templates: 0, consentSignedAt: null })
    expect(faceErasures(kiosk.store)).toEqual([
      { actor: 'kiosk', subject: 'E001', reason: 'retention period over' },
    ])
  })

  it('audits each person a roster import erases, and nobody it had nothing of', async () => {
    const t = await openTestKiosk({ faces: { liveness: 'off' } })
    cleanups.push(() => t.cleanup())
    t.importCsv(sampleRosterCsv)
    const consent = { method: 'paper' as const, signedAt: t.clock.now }
    await t.kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
    await t.kiosk.faces.enrolDescriptors('E002', variants(2, 3), consent, 'test')
    t.importCsv(
      'id,name,badge,active\nE001,张伟,10001,0\nE002,Alice Martin,10002,0\nE003,Bob Stone,10003,0',
    )
    const reason = 'inactive in the roster file'
    expect(faceErasures(t.kiosk.store)).toEqual([
      { actor: 'cli', subject: 'E001', reason },
      { actor: 'cli', subject: 'E002', reason },
    ])
    expect(t.kiosk.faces.person('E002').templates).toBe(0)
  })

  it('audits each person the CRM makes inactive, and erases their face data', async () => {
    const crmDir = await tempDir()
    const crm = await startReferenceCrm({ dataDir: crmDir.dir, tokens: [TOKEN] })
    cleanups.push(
      () => crmDir.cleanup(),
      () => crm.stop(),
    )
    for (const e of [ada, bob, gone]) await crm.upsertEmployee(e)
    const t = await openTestKiosk(
      {
        crm: { url: crm.url, deviceToken: TOKEN, deviceId: 'lobby-1' },
        faces: { liveness: 'off' },
      },
      Date.now(),
    )
    cleanups.push(() => t.cleanup())
    await t.kiosk.sync.syncRosterNow()
    expect(new Roster(t.kiosk.store).byId('E002')?.active).toBe(true)
    const consent = { method: 'paper' as const, signedAt: t.clock.now }
    await t.kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
    await t.kiosk.faces.enrolDescriptors('E002', variants(2, 3), consent, 'test')

    await crm.upsertEmployee({ ...bob, active: false })
    await t.kiosk.sync.syncRosterNow()
    expect(faceErasures(t.kiosk.store)).toEqual([
      { actor: 'crm', subject: 'E002', reason: 'not active at this site in the CRM' },
    ])
    expect(t.kiosk.faces.person('E002').templates).toBe(0)
    await identify(t.kiosk, face(2, 0.1))
    expect(await identify(t.kiosk, face(2, 0.1))).toEqual({ status: 'unknown' })
  })
})
