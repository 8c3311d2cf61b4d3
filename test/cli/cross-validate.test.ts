/**
 * The cross-validated estimate of `faces eval` on made-up distances: the threshold of a fold is
 * chosen without its held-out people, the estimate catches a rule that only looks good
 * in-sample, and calibration settles on the least cautious rule that meets the target.
 */
import { describe, expect, it } from 'vitest'
import {
  calibrate,
  chooseThreshold,
  crossValidate,
  sigmaLadder,
} from '../../electron/cli/faces/cross-validate'
import type { Collected, Probe } from '../../electron/cli/faces/evaluate'
import { gaussian, mulberry32 } from '../fixtures/random'

/**
 * People p0…p(n-1), each with `probes` genuine photos at ~0.35 from their own templates and
 * strangers at ~`strangers` (sd 0.04); `closePair` makes p0 and p1 look alike (0.45 apart).
 */
function made(n: number, probes: number, strangers: number, closePair = false): Collected {
  const random = mulberry32(7)
  const people = Array.from({ length: n }, (_, i) => `p${i}`)
  const near = (mean: number) => mean + 0.04 * gaussian(random)
  const probe = (identity: string, genuine: boolean, k: number): Probe => ({
    file: `${identity}/${k}.jpg`,
    identity,
    genuine,
    notAcquired: null,
    toPeople: new Map(
      people.map((other) => {
        const pair = closePair && [identity, other].sort().join() === 'p0,p1'
        return [other, other === identity ? near(0.35) : near(pair ? 0.45 : strangers)]
      }),
    ),
  })
  return {
    enrolled: people.map((identity) => ({ identity, photos: [] })),
    notEnrolled: [],
    probes: [
      ...people.flatMap((id) => Array.from({ length: probes }, (_, k) => probe(id, true, k))),
      ...['x0', 'x1', 'x2', 'x3', 'x4'].map((id) => probe(id, false, 0)),
    ],
  }
}

const options = { folds: 5, repeats: 4, seed: 1, margin: 0.05, sigmas: 3 }

describe('cross-validation by person', () => {
  it('chooses a fold threshold from the training people only', () => {
    const collected = made(10, 6, 0.7)
    const training = { people: new Set(['p2', 'p3', 'p4', 'p5', 'p6']), impostors: new Set(['x0']) }
    const before = chooseThreshold(collected, training, 3)
    // Held-out people suddenly look like everyone: the training choice must not move.
    for (const p of collected.probes)
      if (['p0', 'p1'].includes(p.identity))
        for (const other of p.toPeople.keys()) if (other !== p.identity) p.toPeople.set(other, 0.3)
    expect(chooseThreshold(collected, training, 3)).toBe(before)
    expect(before).toBeGreaterThan(0.5)
    expect(before).toBeLessThan(0.7)
  })

  it('finds strangers matched when a look-alike pair is held out of the choice', () => {
    const plain = crossValidate(made(10, 6, 0.8), options)
    const lookAlikes = crossValidate(made(10, 6, 0.8, true), options)
    // Both look-alikes' photos (12 of 65 stranger searches) match the other, in every deal.
    expect(plain.fpirLeaveOneOut.mean).toBeLessThan(0.02)
    expect(lookAlikes.fpirLeaveOneOut.mean).toBeGreaterThan(0.15)
    // With the pair in training the rule turns cautious; with it held out, it does not.
    expect(lookAlikes.threshold.max - lookAlikes.threshold.min).toBeGreaterThan(0.1)
  })

  it('is the same for the same seed and deals the folds anew for another', () => {
    const collected = made(10, 6, 0.62, true)
    expect(crossValidate(collected, options)).toEqual(crossValidate(collected, options))
    const other = crossValidate(collected, { ...options, seed: 2 })
    expect(other.threshold).not.toEqual(crossValidate(collected, options).threshold)
  })

  it('calibrates to the least cautious rule that meets the target, or says none did', () => {
    const collected = made(12, 6, 0.62, true)
    const calibrated = calibrate(collected, { ...options, targetFpir: 0.005 })
    const last = calibrated.tried.at(-1)!
    expect(calibrated.chosen).toBe(last)
    for (const earlier of calibrated.tried.slice(0, -1))
      expect(earlier.fpirLeaveOneOut.mean).toBeGreaterThan(0.005)
    if (calibrated.met) expect(last.fpirLeaveOneOut.mean).toBeLessThanOrEqual(0.005)
    else expect(calibrated.tried).toHaveLength(sigmaLadder.length)
    expect(calibrated.threshold).toBeLessThan(0.62)
  })
})
