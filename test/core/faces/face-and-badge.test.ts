/**
 * Face-and-badge mode on a real store: the badge names the person, their face confirms it
 * within the window, and nothing is recorded otherwise; people without face data punch by badge.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyWindowMs } from '../../../electron/core/faces/face-service'
import { face, variants } from '../../fixtures/descriptors'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk

const identify = (d: Float32Array, liveness: 'passed' | 'pending' = 'passed') =>
  call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness })
const scan = (badge: string) => call(t.kiosk, 'recordBadgePunch', { badge })

const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }
const stranger = 9

async function open(liveness: 'off' | 'either'): Promise<void> {
  t = await openTestKiosk({
    faces: { mode: 'faceAndBadge', liveness, threshold: 0.5, margin: 0.05, agreeFrames: 2 },
  })
  t.importCsv(sampleRosterCsv)
  // 张伟 (E001, badge 10001) has face data; Alice Martin (E002, badge 10002) has none.
  await t.kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
}

beforeEach(() => open('off'))
afterEach(() => t.cleanup())

describe('face-and-badge mode', () => {
  it('asks the badge holder for their face, then records once it agrees', async () => {
    const asked = await scan('10001')
    expect(asked).toEqual({
      status: 'verify-face',
      employeeId: 'E001',
      name: '张伟',
      until: new Date(t.clock.now + verifyWindowMs).toISOString(),
    })
    expect(await identify(face(1, 0.1))).toEqual({ status: 'looking' })
    const punched = await identify(face(1, 0.1))
    expect(punched).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E001', type: 'in', method: 'face' },
    })
    // The badge was used up: the same face alone names nobody.
    expect(await identify(face(1, 0.1))).toEqual({ status: 'badge-first' })
  })

  it('never records for a face alone, however well it matches', async () => {
    for (let i = 0; i < 4; i++)
      expect(await identify(face(1, 0.1))).toEqual({ status: 'badge-first' })
  })

  it('records nothing while someone else stands in front of the camera', async () => {
    await scan('10001')
    for (let i = 0; i < 6; i++)
      expect(await identify(face(stranger, 0.1))).toEqual({ status: 'looking' })
    t.clock.advance(verifyWindowMs + 1)
    // The window is over: even the right face cannot use the old badge scan.
    expect(await identify(face(1, 0.1))).toEqual({ status: 'badge-first' })
    expect(await identify(face(1, 0.1))).toEqual({ status: 'badge-first' })
  })

  it('a face and a badge of two different people never agree', async () => {
    await t.kiosk.faces.enrolDescriptors('E002', variants(2, 3), consent, 'test')
    await scan('10002')
    for (let i = 0; i < 4; i++) expect(await identify(face(1, 0.1))).toEqual({ status: 'looking' })
    expect(await identify(face(2, 0.1))).toEqual({ status: 'looking' })
    expect(await identify(face(2, 0.1))).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E002' },
    })
  })

  it('lets a person without face data punch by badge alone', async () => {
    expect(await scan('10002')).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E002', method: 'badge' },
    })
  })

  it('still asks for liveness when it is on', async () => {
    await t.cleanup()
    await open('either')
    await scan('10001')
    expect(await identify(face(1, 0.1), 'pending')).toEqual({ status: 'looking' })
    expect(await identify(face(1, 0.1), 'pending')).toEqual({
      status: 'needs-liveness',
      employeeId: 'E001',
    })
    expect(await identify(face(1, 0.1), 'passed')).toMatchObject({ status: 'recorded' })
  })
})
