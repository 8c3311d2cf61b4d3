/**
 * Erased face data is unrecoverable from the data folder: after an erasure, snapshots and
 * compaction, nothing in any file (store, journal, snapshots, keyring) decrypts to the erased
 * person's templates with any key the folder yields, while everyone else still identifies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FaceKeyring } from '../../../electron/core/faces/face-keyring'
import { silentLogger } from '../../../electron/core/logger'
import { face, variants } from '../../fixtures/descriptors'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'
import { recoverableTemplates } from './recoverable-templates'

let t: TestKiosk
const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }
const enrolled = { E001: variants(1, 3), E002: variants(2, 3) }

const identify = (d: Float32Array) =>
  call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness: 'passed' })

/** Snapshots and compaction, as often as it takes for the journal before now to be dropped. */
async function snapshotAndCompact(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    t.clock.advance(10 * 60_000)
    await call(t.kiosk, 'recordBadgePunch', { badge: '10001' })
    await t.kiosk.store.snapshot()
  }
}

beforeEach(async () => {
  t = await openTestKiosk({ faces: { liveness: 'off', agreeFrames: 2 } })
  t.importCsv(sampleRosterCsv)
  await t.kiosk.faces.enrolDescriptors('E001', enrolled.E001, consent, 'test')
  await t.kiosk.faces.enrolDescriptors('E002', enrolled.E002, consent, 'test')
  await t.kiosk.store.snapshot()
})
afterEach(() => t.cleanup())

async function expectIdentifies(employeeId: string, seed: number): Promise<void> {
  await identify(face(seed, 0.1))
  expect(await identify(face(seed, 0.1))).toMatchObject({
    status: 'recorded',
    punch: { employeeId },
  })
}

describe('face erasure', () => {
  it('leaves nothing in the data folder that decrypts to an erased template', async () => {
    expect(recoverableTemplates(t.dataDir, enrolled).E002).toBeGreaterThan(0)
    t.kiosk.faces.erase('E002', 'admin', 'asked to')
    await snapshotAndCompact()
    await t.reopen()
    await snapshotAndCompact()
    t.clock.advance(10 * 60_000)
    await expectIdentifies('E001', 1)
    const found = recoverableTemplates(t.dataDir, enrolled)
    // The scan does find what is still enrolled, so finding nothing of E002 means something.
    expect(found.E001).toBeGreaterThan(0)
    expect(found.E002).toBe(0)
  })

  it('erases as thoroughly when a roster import makes someone inactive', async () => {
    t.importCsv('id,name,badge,active\nE002,Alice Martin,10002,0')
    await t.reopen()
    await snapshotAndCompact()
    const found = recoverableTemplates(t.dataDir, enrolled)
    expect(found.E001).toBeGreaterThan(0)
    expect(found.E002).toBe(0)
  })

  it('replaces the templates of a re-enrolment beyond recovery', async () => {
    const again = variants(3, 3)
    await t.kiosk.faces.enrolDescriptors('E002', again, consent, 'test')
    await snapshotAndCompact()
    const found = recoverableTemplates(t.dataDir, { ...enrolled, again })
    expect(found.again).toBeGreaterThan(0)
    expect(found.E002).toBe(0)
  })

  it('finishes, audited, an erasure a crash cut short after its key was destroyed', async () => {
    await t.kiosk.close()
    // What erase() does first, durably, before its commit: the process dies right after.
    const keyring = FaceKeyring.open(t.dataDir, undefined, silentLogger)
    keyring.destroy((k) => k.employeeId === 'E002')
    await t.reopen()
    expect(t.kiosk.faces.person('E002')).toMatchObject({ templates: 0, consentSignedAt: null })
    const audit = t.kiosk.store.get<{ actor: string; detail: string }>(
      `SELECT actor, detail FROM audit WHERE action = 'faces.delete' AND subject = 'E002'`,
    )
    expect(audit?.actor).toBe('kiosk')
    expect(audit?.detail).toMatch(/an erasure cut short/)
    await expectIdentifies('E001', 1)
  })
})
