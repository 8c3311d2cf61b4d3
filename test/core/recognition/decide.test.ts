/**
 * One frame's decision (threshold, margin over the next person) and agreement across frames:
 * nobody is named, or turned away, on the word of a single frame.
 */
import { describe, expect, it } from 'vitest'
import { decide, FrameAgreement, type Decision } from '../../../electron/core/recognition'

const limits = { threshold: 0.5, margin: 0.05 }
const match = (employeeId: string, distance = 0.3): Decision => ({
  kind: 'match',
  employeeId,
  distance,
})
const unknown: Decision = { kind: 'unknown', distance: 0.7 }

describe('decide', () => {
  it('matches the nearest person within the threshold and clear of the next one', () => {
    const nearest = [
      { employeeId: 'E1', distance: 0.42 },
      { employeeId: 'E2', distance: 0.6 },
    ]
    expect(decide(nearest, limits)).toEqual({ kind: 'match', employeeId: 'E1', distance: 0.42 })
    expect(decide([{ employeeId: 'E1', distance: 0.5 }], limits)).toMatchObject({ kind: 'match' })
  })

  it('says unknown beyond the threshold, within the margin of someone else, or with nobody enrolled', () => {
    expect(decide([{ employeeId: 'E1', distance: 0.51 }], limits)).toEqual({
      kind: 'unknown',
      distance: 0.51,
    })
    const lookAlikes = [
      { employeeId: 'E1', distance: 0.4 },
      { employeeId: 'E2', distance: 0.44 },
    ]
    expect(decide(lookAlikes, limits)).toEqual({ kind: 'unknown', distance: 0.4 })
    expect(decide([], limits)).toEqual({ kind: 'unknown', distance: null })
  })
})

describe('frame agreement', () => {
  it('names a person once enough consecutive frames agree, with the worst distance seen', () => {
    const agreement = new FrameAgreement(2, 1000)
    expect(agreement.observe(match('E1', 0.3), 0)).toEqual({ status: 'looking' })
    expect(agreement.observe(match('E1', 0.35), 100)).toEqual({
      status: 'match',
      employeeId: 'E1',
      distance: 0.35,
    })
  })

  it('never turns a person away on one bad frame: unknown must agree too', () => {
    const agreement = new FrameAgreement(2, 1000)
    expect(agreement.observe(match('E1'), 0)).toEqual({ status: 'looking' })
    expect(agreement.observe(unknown, 100)).toEqual({ status: 'looking' })
    expect(agreement.observe(match('E1'), 200)).toEqual({ status: 'looking' })
    expect(agreement.observe(unknown, 300)).toEqual({ status: 'looking' })
    expect(agreement.observe(unknown, 400)).toEqual({ status: 'unknown' })
  })

  it('does not join frames of two different people, nor frames too far apart', () => {
    const agreement = new FrameAgreement(2, 1000)
    agreement.observe(match('E1'), 0)
    expect(agreement.observe(match('E2'), 100)).toEqual({ status: 'looking' })
    expect(agreement.observe(match('E2'), 1200)).toEqual({ status: 'looking' })
    expect(agreement.observe(match('E2'), 1300)).toMatchObject({
      status: 'match',
      employeeId: 'E2',
    })
  })

  it('starts over after reset or when the clock goes backwards', () => {
    const agreement = new FrameAgreement(2, 1000)
    agreement.observe(match('E1'), 500)
    agreement.reset()
    expect(agreement.observe(match('E1'), 600)).toEqual({ status: 'looking' })
    expect(agreement.observe(match('E1'), 100)).toEqual({ status: 'looking' })
  })

  it('with one frame (a still photo) answers at once', () => {
    const agreement = new FrameAgreement(1, 1000)
    expect(agreement.observe(unknown, 0)).toEqual({ status: 'unknown' })
    expect(agreement.observe(match('E1'), 10)).toMatchObject({ status: 'match', employeeId: 'E1' })
    expect(() => new FrameAgreement(0, 1000)).toThrow(RangeError)
  })
})
