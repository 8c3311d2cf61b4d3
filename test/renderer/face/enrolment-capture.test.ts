import { describe, expect, it } from 'vitest'
import type { QualityProblem } from '../../../electron/shared/face'
import {
  defaultCaptureOptions,
  EnrolmentCapture,
  poseReached,
  type EnrolmentPose,
} from '../../../renderer/src/face/enrolment-capture'
import type { FrameView } from '../../../renderer/src/face/frame-loop'
import type { Guidance } from '../../../renderer/src/face/guidance'
import { head, project } from './synthetic-face'

interface Look {
  yaw?: number
  pitch?: number
  problems?: QualityProblem[]
  steadyFrames?: number
}

/** An enrolment frame at `at` ms: one face with the given head pose (degrees). */
function frame(at: number, look: Look = {}): FrameView {
  const problems = look.problems ?? []
  return {
    at,
    faceCount: 1,
    face: {
      box: { x: 240, y: 160, width: 160, height: 160 },
      score: 0.9,
      landmarks: project(head(), { yaw: look.yaw ?? 0 }),
      alignedBox: { x: 240, y: 160, width: 160, height: 160 },
      quality: {
        ok: problems.length === 0,
        problems,
        yaw: look.yaw ?? 0,
        pitch: look.pitch ?? 0,
        roll: 0,
        brightness: 120,
        sharpness: 80,
        sizePx: 160,
        centreOffset: 0,
      },
    },
    track: { id: 1, startedAt: 0, steadyFrames: look.steadyFrames ?? 3 },
  }
}

const nobody = (at: number): FrameView => ({ at, faceCount: 0, face: null, track: null })

function capture(needed = 5) {
  const samples: number[] = []
  const shown: { guidance: Guidance | null; pose: EnrolmentPose | null }[] = []
  const consumer = new EnrolmentCapture({
    wanted: () => samples.length < needed,
    sample: async () => void samples.push(samples.length),
    show: (guidance, pose) => shown.push({ guidance, pose }),
  })
  /** One frame as the frame loop drives it; true when it became a sample. */
  async function step(view: FrameView): Promise<boolean> {
    consumer.frame(view)
    if (!view.face || !consumer.wantsDescriptor(view)) return false
    await consumer.descriptor([0.1], view)
    return true
  }
  return { consumer, samples, shown, step, last: () => shown[shown.length - 1] }
}

describe('guided enrolment poses', () => {
  it('asks for straight, left, right and up in turn, sampling each once it is reached', async () => {
    const { consumer, step, last, samples } = capture()
    expect(await step(frame(0))).toBe(true)
    expect(consumer.pose).toBe('left')
    // Still looking straight: no sample, and the screen asks for the left turn.
    expect(await step(frame(500))).toBe(false)
    expect(last()).toEqual({ guidance: null, pose: 'left' })
    expect(await step(frame(700, { yaw: -15 }))).toBe(false)
    expect(await step(frame(900, { yaw: 15 }))).toBe(true)
    expect(await step(frame(1400, { yaw: 15 }))).toBe(false)
    expect(last()?.pose).toBe('right')
    expect(await step(frame(1600, { yaw: -14 }))).toBe(true)
    expect(await step(frame(2100, { yaw: 0, pitch: 3 }))).toBe(false)
    expect(await step(frame(2300, { pitch: 12 }))).toBe(true)
    expect(consumer.pose).toBe('straight')
    expect(await step(frame(2500, { yaw: 2 }))).toBe(false) // too soon after the last sample
    expect(await step(frame(2800, { yaw: 2 }))).toBe(true)
    expect(samples).toHaveLength(5)
    expect(await step(frame(3500, { yaw: 20 }))).toBe(false)
    expect(last()).toEqual({ guidance: null, pose: null })
  })

  it('lets someone who cannot turn complete: each pose is taken as it is after a while', async () => {
    const { step, samples } = capture()
    const takenAt: number[] = []
    for (let at = 0; at <= 20_000 && samples.length < 5; at += 200) {
      if (await step(frame(at))) takenAt.push(at)
    }
    const wait = defaultCaptureOptions.poseTimeoutMs
    // Straight at once, then left, right and up each after the wait, then straight at once.
    expect(takenAt).toEqual([0, wait, 2 * wait, 3 * wait, 3 * wait + 400])
  })

  it('counts the wait only while a face is in view', async () => {
    const { step } = capture()
    await step(frame(0))
    for (let at = 200; at < 10_000; at += 200) expect(await step(nobody(at))).toBe(false)
    expect(await step(frame(10_000))).toBe(false)
    expect(await step(frame(10_000 + defaultCaptureOptions.poseTimeoutMs - 200))).toBe(false)
    expect(await step(frame(10_000 + defaultCaptureOptions.poseTimeoutMs))).toBe(true)
  })

  it('puts a quality problem before the pose, and "hold still" only once the pose is there', async () => {
    const { step, last } = capture()
    await step(frame(0))
    await step(frame(500, { problems: ['too-dark'] }))
    expect(last()).toEqual({ guidance: 'moreLight', pose: 'left' })
    await step(frame(700, { yaw: 6, steadyFrames: 0 }))
    expect(last()).toEqual({ guidance: null, pose: 'left' })
    await step(frame(900, { yaw: 14, steadyFrames: 0 }))
    expect(last()).toEqual({ guidance: 'holdStill', pose: 'left' })
  })

  it("reads left and right as the person's own, in the unmirrored camera frame", () => {
    // face-api's yaw is positive when the nose points towards the frame's right.
    expect(poseReached('left', { yaw: 12, pitch: 0 })).toBe(true)
    expect(poseReached('right', { yaw: 12, pitch: 0 })).toBe(false)
    expect(poseReached('right', { yaw: -12, pitch: 0 })).toBe(true)
    expect(poseReached('up', { yaw: 0, pitch: 9 })).toBe(true)
    expect(poseReached('up', { yaw: 0, pitch: -9 })).toBe(false)
    expect(poseReached('straight', { yaw: 3, pitch: -4 })).toBe(true)
    expect(poseReached('straight', { yaw: 12, pitch: 0 })).toBe(false)
  })
})
