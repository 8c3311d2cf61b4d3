import { describe, expect, it } from 'vitest'
import type { LivenessMode } from '../../../electron/shared/types'
import { faceGeometry } from '../../../renderer/src/face/face-geometry'
import { LivenessTrack, type Point } from '../../../renderer/src/face/liveness'
import { closeEyes, head, jitter, photoOf, project, seeded, type Pose } from './synthetic-face'

const frameMs = 100
const modes: LivenessMode[] = ['blink', 'turn', 'either']

/** Feeds frames 100 ms apart; returns the index of the frame that passed, or -1. */
function run(track: LivenessTrack, frames: Point[][]): number {
  return frames.findIndex((landmarks, i) => track.observe(landmarks, i * frameMs))
}

// Real landmark jitter is about ±0.006 in yaw and ±3% in eye opening (measured on a still photo
// through a noisy camera); 0.6 px on independent points is about twice that.
function noisy(frames: Point[][], sigma = 0.6, seed = 7): Point[][] {
  const random = seeded(seed)
  return frames.map((landmarks) => jitter(landmarks, sigma, random))
}

/** A smooth head turn from `from` to `to` degrees over `count` frames. */
function turning(from: number, to: number, count: number): Point[][] {
  return Array.from({ length: count }, (_, i) =>
    project(head(), { yaw: from + ((to - from) * i) / (count - 1) }),
  )
}

/** Open eyes, then closing, shut, opening, open again: a blink of about 300 ms. */
function blinking(): Point[][] {
  const amounts = [0, 0, 0, 0, 0, 0.5, 1, 0.8, 0.2, 0, 0, 0]
  return amounts.map((amount) => project(closeEyes(head(), amount)))
}

describe('face geometry', () => {
  it('reads a frontal face as looking straight ahead with open eyes', () => {
    const geometry = faceGeometry(project(head()))!
    expect(geometry.yaw).toBeCloseTo(0.5, 2)
    expect(geometry.leftEye).toBeGreaterThan(0.12)
    expect(geometry.rightEye).toBeCloseTo(geometry.leftEye, 3)
  })

  it('ignores landmark sets that are not the 68-point layout', () => {
    expect(faceGeometry(project(head()).slice(0, 5))).toBeNull()
  })
})

describe('liveness: a still face or photo never passes', () => {
  it.each(modes)('a still face, with detector jitter, for a minute (%s)', (mode) => {
    const frames = noisy(
      Array.from({ length: 600 }, () => project(head())),
      1,
    )
    expect(run(new LivenessTrack(mode), frames)).toBe(-1)
  })

  it.each(modes)('a photo turned, tilted, rolled, moved and brought close (%s)', (mode) => {
    const photo = photoOf(head())
    const poses: Pose[] = []
    for (let i = 0; i < 240; i += 1) {
      const phase = (i / 240) * 2 * Math.PI
      poses.push({
        yaw: 55 * Math.sin(phase * 3),
        pitch: 40 * Math.sin(phase * 2 + 1),
        roll: 30 * Math.sin(phase * 5),
        size: 150 + 50 * Math.sin(phase),
        distance: 2.5 + Math.sin(phase * 4),
        offsetX: 100 * Math.sin(phase * 7),
        offsetY: 60 * Math.cos(phase * 3),
      })
    }
    const frames = noisy(poses.map((pose) => project(photo, pose)))
    expect(run(new LivenessTrack(mode), frames)).toBe(-1)
  })

  it.each(modes)('a photo flicked quickly back and forth (%s)', (mode) => {
    const photo = photoOf(head())
    const frames = Array.from({ length: 100 }, (_, i) =>
      project(photo, { yaw: i % 2 ? 60 : -60, pitch: i % 3 ? 45 : -45, distance: 2 }),
    )
    expect(run(new LivenessTrack(mode), noisy(frames))).toBe(-1)
  })

  it('one stray frame from the detector does not make a turn', () => {
    const frames = noisy(Array.from({ length: 30 }, () => project(head())))
    frames[15] = project(head(), { yaw: 35 })
    expect(run(new LivenessTrack('turn'), frames)).toBe(-1)
  })
})

describe('liveness: a live person passes', () => {
  it.each(['turn', 'either'] as const)('turning the head about 25 degrees passes %s', (mode) => {
    const frames = noisy([...turning(0, 0, 5), ...turning(0, 25, 6), ...turning(25, 25, 3)])
    expect(run(new LivenessTrack(mode), frames)).toBeGreaterThan(4)
  })

  it('a head turn is not a blink', () => {
    const frames = noisy([...turning(0, 25, 8), ...turning(25, -25, 12)])
    expect(run(new LivenessTrack('blink'), frames)).toBe(-1)
  })

  it('a tiny nod or sway is not a turn', () => {
    const frames = noisy(
      Array.from({ length: 60 }, (_, i) =>
        project(head(), { yaw: 5 * Math.sin(i / 4), pitch: 10 * Math.sin(i / 5) }),
      ),
    )
    expect(run(new LivenessTrack('turn'), frames)).toBe(-1)
  })

  it.each(['blink', 'either'] as const)('a blink passes %s once the eyes reopen', (mode) => {
    const frames = noisy(blinking())
    const passedAt = run(new LivenessTrack(mode), frames)
    expect(passedAt).toBeGreaterThanOrEqual(8)
  })

  it('a blink is not a turn', () => {
    expect(run(new LivenessTrack('turn'), noisy(blinking()))).toBe(-1)
  })

  it('a wink (one eye) is not a blink', () => {
    const frames = [0, 0, 0, 0, 1, 1, 0, 0].map((amount) =>
      project(closeEyes(head(), amount, 'left')),
    )
    expect(run(new LivenessTrack('blink'), frames)).toBe(-1)
  })

  it('eyes that stay shut are not a blink', () => {
    const frames = [0, 0, 0, 0, ...Array<number>(20).fill(1)].map((amount) =>
      project(closeEyes(head(), amount)),
    )
    expect(run(new LivenessTrack('blink'), frames)).toBe(-1)
  })
})

describe('liveness track', () => {
  it('asks for what the mode accepts, and nothing once passed or when off', () => {
    expect(new LivenessTrack('blink').prompt).toBe('blink')
    expect(new LivenessTrack('turn').prompt).toBe('turn')
    const either = new LivenessTrack('either')
    expect(either.prompt).toBe('blink-or-turn')
    run(either, turning(-15, 15, 8))
    expect(either.passed).toBe(true)
    expect(either.prompt).toBeNull()
    expect(new LivenessTrack('off').prompt).toBeNull()
  })

  it('never passes when off: nothing was checked', () => {
    const track = new LivenessTrack('off')
    expect(run(track, turning(0, 30, 10))).toBe(-1)
    expect(track.passed).toBe(false)
  })

  it('starts over after a reset: a turn seen for one face does not carry to the next', () => {
    const track = new LivenessTrack('turn')
    run(track, turning(-15, 0, 4))
    track.reset()
    // The second face turns only the other half: alone it is not enough.
    const frames = turning(0, 15, 4)
    expect(frames.some((landmarks, i) => track.observe(landmarks, 1000 + i * frameMs))).toBe(false)
    run(track, turning(-15, 15, 8))
    expect(track.passed).toBe(true)
    track.reset()
    expect(track.passed).toBe(false)
  })
})
