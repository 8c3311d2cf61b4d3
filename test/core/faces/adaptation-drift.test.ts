/**
 * The drift test: a long stream of live, agreeing look-alike walk-ups, stepped from one
 * person's real photos to another's, must not walk the first person's templates toward the
 * second. Real descriptors of the two nearest people among the small sets in ../shared/faces.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adaptEveryMs } from '../../../electron/core/faces/adaptation'
import { describeWithFaces, realDescriptors, shippedFaces } from '../../fixtures/faces'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'
import { gaussian, mulberry32 } from '../../fixtures/random'

const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }
const photos = (who: string, name: string) =>
  [1, 2, 3, 4, 5].map((i) => `enrolled/${who}/${name}${i}.png`)
/** Steps of the stream from A (t = 0) to B (t = 1). */
const steps = 60

let t: TestKiosk
let a: Float32Array[]
let b: Float32Array[]

const distance = (x: Float32Array, y: Float32Array) =>
  Math.sqrt(x.reduce((s, v, k) => s + (v - y[k]!) ** 2, 0))

/** Whom the kiosk takes this face for, without recording or learning anything. */
async function identifiedAs(d: Float32Array): Promise<string | null> {
  await call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness: 'pending' })
  const seen = await call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness: 'pending' })
  return seen.status === 'needs-liveness' ? seen.employeeId : null
}

/** A person's templates, decrypted as the kiosk holds them (every stored row readable). */
function templatesOf(employeeId: string): Float32Array[] {
  const held = t.kiosk.faces.data.templatesOf(employeeId)
  expect(held).toHaveLength(t.kiosk.faces.person(employeeId).templates)
  return held.map((x) => x.vector)
}

const nearestBetween = (xs: Float32Array[], ys: Float32Array[]) =>
  Math.min(...xs.flatMap((x) => ys.map((y) => distance(x, y))))

describeWithFaces('template adaptation under a look-alike stream', () => {
  beforeAll(async () => {
    a = await realDescriptors(...photos('bbt_amy', 'amy'))
    b = await realDescriptors(...photos('bbt_bernadette', 'bernadette'))
  }, 120_000)
  afterAll(() => t?.cleanup())

  it("never walks A's templates toward B", async () => {
    t = await openTestKiosk({
      faces: { ...shippedFaces, liveness: 'either', adaptiveTemplates: 3 },
    })
    t.importCsv(sampleRosterCsv)
    await t.kiosk.faces.enrolDescriptors('E001', a.slice(0, 3), consent, 'test')
    await t.kiosk.faces.enrolDescriptors('E002', b.slice(0, 3), consent, 'test')
    for (const photo of b) expect(await identifiedAs(photo)).not.toBe('E001')
    const before = nearestBetween(templatesOf('E001'), b)
    const apart = nearestBetween(templatesOf('E001'), templatesOf('E002'))

    const random = mulberry32(10)
    const noisy = (x: Float32Array) => x.map((v) => v + (0.05 / Math.sqrt(128)) * gaussian(random))
    let asA = 0
    for (let k = 0; k <= steps; k++) {
      const step = k / steps
      for (const [i, from] of a.entries()) {
        const to = b[i]!
        const probe = from.map((v, j) => v + step * (to[j]! - v))
        t.clock.advance(adaptEveryMs + 60_000)
        await call(t.kiosk, 'identifyFace', { descriptor: [...noisy(probe)], liveness: 'passed' })
        const seen = await call(t.kiosk, 'identifyFace', {
          descriptor: [...noisy(probe)],
          liveness: 'passed',
        })
        if (seen.status === 'recorded' && seen.punch.employeeId === 'E001') asA++
      }
    }
    // The stream was accepted as A often, and did teach A: nothing passes by learning nothing.
    const learnt = (who: string) =>
      t.kiosk.store.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM audit WHERE action = 'faces.adapt' AND subject = ?`,
        [who],
      )!.n
    expect(asA).toBeGreaterThan(steps)
    expect(learnt('E001')).toBeGreaterThan(0)
    expect(learnt('E001') + learnt('E002')).toBeGreaterThan(2)

    // Neither person's templates came nearer the other's than their enrolments were.
    expect(nearestBetween(templatesOf('E001'), templatesOf('E002'))).toBeGreaterThanOrEqual(apart)
    expect(nearestBetween(templatesOf('E001'), b)).toBeGreaterThanOrEqual(before - 0.01)
    for (const photo of b) expect(await identifiedAs(photo)).not.toBe('E001')
    for (const photo of a) expect(await identifiedAs(photo)).not.toBe('E002')
  }, 60_000)
})
