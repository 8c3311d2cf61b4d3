/**
 * Face data in core on a real store: consent and templates, encryption at rest, identification
 * with agreement and liveness, enrolment refusals, erasure, deactivation and retention.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { storeDir } from '../../../electron/core/kiosk'
import { face, variants } from '../../fixtures/descriptors'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
const identify = (d: Float32Array, liveness: 'passed' | 'pending' = 'passed') =>
  call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness })
const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }

beforeEach(async () => {
  t = await openTestKiosk({
    faces: { liveness: 'either', threshold: 0.5, margin: 0.05, agreeFrames: 2 },
  })
  t.importCsv(sampleRosterCsv)
  await t.kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
  await t.kiosk.faces.enrolDescriptors('E002', variants(2, 3), consent, 'test')
})
afterEach(() => t.cleanup())

describe('faces in core', () => {
  it('needs two agreeing frames and liveness before it records a face punch', async () => {
    const probe = face(1, 0.12)
    expect(await identify(probe, 'pending')).toEqual({ status: 'looking' })
    expect(await identify(probe, 'pending')).toEqual({
      status: 'needs-liveness',
      employeeId: 'E001',
    })
    const punched = await identify(probe, 'passed')
    expect(punched).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E001', method: 'face', type: 'in' },
    })
    const row = t.kiosk.store.get<{ liveness: string; match_distance: number }>(
      'SELECT liveness, match_distance FROM punches',
    )
    expect(row?.liveness).toBe('passed')
    expect(row?.match_distance).toBeLessThan(0.5)
  })

  it('says unknown only when frames agree on nobody, and records nothing', async () => {
    expect(await identify(face(99))).toEqual({ status: 'looking' })
    expect(await identify(face(99))).toEqual({ status: 'unknown' })
    expect(t.kiosk.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM punches')!.n).toBe(0)
  })

  it('keeps templates across a restart replayed from the journal alone', async () => {
    await t.reopen()
    expect(await identify(face(1, 0.1))).toEqual({ status: 'looking' })
    expect(await identify(face(1, 0.1))).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E001' },
    })
  })

  it('keeps templates encrypted at rest: no descriptor bytes in the journal or snapshots', async () => {
    await t.kiosk.store.snapshot()
    const needle = Buffer.from(variants(1, 1)[0]!.buffer).subarray(0, 16)
    const dir = storeDir(t.dataDir)
    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name))
      expect(bytes.includes(needle), name).toBe(false)
    }
    await t.reopen()
    expect(await identify(face(2, 0.1))).toEqual({ status: 'looking' })
    expect(await identify(face(2, 0.1))).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E002' },
    })
  })

  it("never lets one person's templates pass for another's, even when the rows are moved", async () => {
    t.kiosk.store.commit([
      [`DELETE FROM face_templates WHERE employee_id = 'E002'`],
      [`UPDATE face_templates SET employee_id = 'E002' WHERE employee_id = 'E001'`],
    ])
    await t.reopen()
    // Sealed under E001's key, they open for nobody as E002's: erased at start, not matched.
    expect(t.kiosk.faces.person('E002').templates).toBe(0)
    expect(await identify(face(1, 0.1))).toEqual({ status: 'looking' })
    expect(await identify(face(1, 0.1))).toEqual({ status: 'unknown' })
  })

  it('refuses enrolment samples that match someone else or disagree with the earlier ones', async () => {
    const session = t.kiosk.faces.startEnrolment('E001', 'on_screen_signature')
    expect(t.kiosk.faces.addSample(session.sessionId, face(2, 0.07)).refused).toBe(
      'matches-someone-else',
    )
    expect(t.kiosk.faces.addSample(session.sessionId, face(1, 0.2)).refused).toBeNull()
    expect(t.kiosk.faces.addSample(session.sessionId, face(55)).refused).toBe('inconsistent')
    expect(() => t.kiosk.faces.finishEnrolment(session.sessionId, 'admin')).toThrow(
      /Not enough good samples/,
    )
    await expect(
      t.kiosk.faces.enrolDescriptors('E001', variants(2, 3), consent, 'cli'),
    ).rejects.toThrow(/match someone else/)
  })

  it('erases a person on request, on deactivation and when consent expires', async () => {
    t.kiosk.faces.erase('E001', 'admin', 'asked to')
    expect(t.kiosk.faces.person('E001')).toMatchObject({ templates: 0, consentSignedAt: null })
    expect(await identify(face(1, 0.1))).toEqual({ status: 'looking' })
    expect(await identify(face(1, 0.1))).toEqual({ status: 'unknown' })

    t.importCsv('id,name,badge,active\nE002,Alice Martin,10002,0')
    expect(t.kiosk.faces.person('E002').templates).toBe(0)
    const audit = t.kiosk.store.all<{ action: string }>(
      `SELECT action FROM audit WHERE action LIKE 'faces.%'`,
    )
    expect(audit.map((a) => a.action)).toEqual([
      'faces.enrol',
      'faces.enrol',
      'faces.delete',
      'faces.delete',
    ])

    await t.kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
    t.clock.now = consent.signedAt + 731 * 86_400_000
    await t.reopen()
    expect(t.kiosk.faces.person('E001').templates).toBe(0)
  })

  it('logs nothing biometric: no descriptor numbers, whatever happens', async () => {
    await t.cleanup()
    const lines: string[] = []
    const capture = (message: string, error?: unknown) => {
      lines.push(
        message,
        error instanceof Error ? `${error.message} ${error.stack}` : String(error),
      )
    }
    t = await openTestKiosk({ faces: { liveness: 'off' } }, undefined, {
      info: capture,
      warn: capture,
      error: capture,
    })
    t.importCsv(sampleRosterCsv)
    const enrolled = variants(1, 3)
    await t.kiosk.faces.enrolDescriptors('E001', enrolled, consent, 'test')
    const probes = [face(1, 0.1), face(1, 0.1), face(9, 0.1), face(9, 0.1)]
    for (const probe of probes) await identify(probe)
    // Malformed descriptors too: the refusal must not echo them.
    const bad = [...face(2)].map((x, i) => (i === 7 ? Number.NaN : x))
    expect((await t.kiosk.gate('faces:identify', { descriptor: bad, liveness: 'passed' })).ok).toBe(
      false,
    )
    await t.reopen()
    await t.kiosk.gate('faces:identify', { descriptor: [1, 2, 3], liveness: 'passed' })
    const text = lines.join('\n')
    expect(text).toContain('faces: 1 people enrolled')
    for (const vector of [...enrolled, ...probes]) {
      for (const x of vector.slice(0, 8)) expect(text).not.toContain(String(x).slice(0, 8))
    }
  })
})
