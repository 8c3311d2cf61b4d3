import { describe, expect, it } from 'vitest'
import type { FaceOutcome, LivenessMode } from '../../../electron/shared/types'
import { FaceCheckIn, type CheckInScreen } from '../../../renderer/src/face/check-in'
import type { FrameView } from '../../../renderer/src/face/frame-loop'
import type { Point } from '../../../renderer/src/face/face-geometry'
import type { QualityProblem } from '../../../electron/shared/face'
import { punchView, recorded } from '../fake-kiosk'
import { head, project } from './synthetic-face'

/** A kiosk frame at `at` ms: one face (track `track`) looking `yaw` degrees aside. */
function frame(
  at: number,
  options: { track?: number; yaw?: number; problems?: QualityProblem[] } = {},
): FrameView {
  const landmarks: Point[] = project(head(), { yaw: options.yaw ?? 0 })
  const problems = options.problems ?? []
  return {
    at,
    faceCount: 1,
    face: {
      box: { x: 240, y: 160, width: 160, height: 160 },
      score: 0.9,
      landmarks,
      alignedBox: { x: 240, y: 160, width: 160, height: 160 },
      quality: {
        ok: problems.length === 0,
        problems,
        yaw: options.yaw ?? 0,
        pitch: 0,
        roll: 0,
        brightness: 120,
        sharpness: 80,
        sizePx: 160,
        centreOffset: 0,
      },
    },
    track: { id: options.track ?? 1, startedAt: 0, steadyFrames: 3 },
  }
}

const descriptor = Array.from({ length: 128 }, (_, i) => i / 1000)

/** Lets answers that main has given reach the consumer. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function checkIn(liveness: LivenessMode, answers: FaceOutcome[]) {
  const sent: ('passed' | 'pending')[] = []
  const screens: CheckInScreen[] = []
  let paused = false
  const consumer = new FaceCheckIn({
    liveness,
    identify: async (_values, state) => {
      sent.push(state)
      return answers.shift() ?? { status: 'looking' }
    },
    paused: () => paused,
    show: (screen) => screens.push(screen),
  })
  /** One frame through the consumer, as the frame loop drives it. */
  async function step(view: FrameView): Promise<boolean> {
    consumer.frame(view)
    if (!consumer.wantsDescriptor(view)) return false
    await consumer.descriptor(descriptor, view)
    await settle()
    return true
  }
  return { consumer, sent, screens, step, pause: (value: boolean) => (paused = value) }
}

describe('face check-in', () => {
  it('asks main for a steady face and stops asking once it was greeted', async () => {
    const { sent, step } = checkIn('off', [{ status: 'looking' }, recorded(punchView())])
    expect(await step(frame(0))).toBe(true)
    expect(await step(frame(100))).toBe(true)
    expect(await step(frame(200))).toBe(false)
    expect(await step(frame(5000))).toBe(false)
    expect(sent).toEqual(['pending', 'pending'])
  })

  it('starts over for the next face', async () => {
    const { step } = checkIn('off', [recorded(punchView())])
    await step(frame(0))
    expect(await step(frame(100))).toBe(false)
    expect(await step(frame(200, { track: 2 }))).toBe(true)
  })

  it('says "not recognised" and waits before asking again', async () => {
    const { screens, step } = checkIn('off', [{ status: 'unknown' }])
    await step(frame(0))
    expect(screens.at(-1)).toEqual({ guidance: null, unknown: true })
    expect(await step(frame(1000))).toBe(false)
    expect(await step(frame(2100))).toBe(true)
  })

  it('asks for nothing while a card or panel is on screen', async () => {
    const { sent, step, pause } = checkIn('off', [])
    pause(true)
    expect(await step(frame(0))).toBe(false)
    expect(sent).toEqual([])
  })

  it('shows the worst quality problem of a face', async () => {
    const { screens, step } = checkIn('off', [])
    await step(frame(0, { problems: ['blurry', 'too-small'] }))
    expect(screens[0]).toEqual({ guidance: 'moveCloser', unknown: false })
  })

  it('asks for a head turn, then sends "passed" as soon as the person turned', async () => {
    const identified: FaceOutcome = { status: 'needs-liveness', employeeId: 'E1' }
    const { sent, screens, step } = checkIn('turn', [identified, identified])
    await step(frame(0))
    await step(frame(100))
    expect(screens.at(-1)?.guidance).toBe('turn')
    // Turning: no new question until liveness passes, then one straight away.
    const yaws = [5, 10, 15, 20, 25, 30]
    for (const [i, yaw] of yaws.entries()) await step(frame(200 + i * 100, { yaw }))
    expect(sent.at(-1)).toBe('passed')
    expect(sent.filter((state) => state === 'pending').length).toBeGreaterThanOrEqual(1)
  })

  it('never sends "passed" for a still face, however long it stands there', async () => {
    const answers = Array.from({ length: 200 }, (): FaceOutcome => ({
      status: 'needs-liveness',
      employeeId: 'E1',
    }))
    const { sent, step } = checkIn('either', answers)
    for (let i = 0; i < 300; i += 1) await step(frame(i * 100))
    expect(sent.length).toBeGreaterThan(10)
    expect(sent.every((state) => state === 'pending')).toBe(true)
  })

  it('forgets the liveness seen when main starts naming someone else', async () => {
    const { consumer, sent, step } = checkIn('turn', [
      { status: 'needs-liveness', employeeId: 'E1' },
      { status: 'needs-liveness', employeeId: 'E2' },
    ])
    await step(frame(0))
    for (const [i, yaw] of [10, 20, 30, 30].entries()) consumer.frame(frame(100 + i * 100, { yaw }))
    // Liveness passed for E1's face: the next answer names E2, so it starts over.
    await step(frame(600, { yaw: 30 }))
    expect(sent).toEqual(['pending', 'passed'])
    expect(await step(frame(2700, { yaw: 30 }))).toBe(true)
    expect(sent.at(-1)).toBe('pending')
  })

  it('forgets the liveness a stranger showed once main says it does not know them', async () => {
    const { consumer, sent, step } = checkIn('turn', [{ status: 'unknown' }])
    for (const [i, yaw] of [0, 10, 20, 30, 30].entries()) consumer.frame(frame(i * 100, { yaw }))
    await step(frame(500, { yaw: 30 }))
    expect(sent).toEqual(['passed'])
    // Someone's photo held up in the same place: it cannot inherit the stranger's head turn.
    await step(frame(2600, { yaw: 30 }))
    expect(sent).toEqual(['passed', 'pending'])
  })

  it('says which movement it wants as soon as main asks for one, before the next frame', async () => {
    const named: FaceOutcome = { status: 'needs-liveness', employeeId: 'E1' }
    const { consumer, screens } = checkIn('either', [{ status: 'looking' }, named])
    const view = frame(0)
    consumer.frame(view)
    await consumer.descriptor(descriptor, view)
    await consumer.descriptor(descriptor, frame(100))
    await settle()
    expect(screens.at(-1)).toEqual({ guidance: 'blinkOrTurn', unknown: false })
  })

  it('within half a second of main asking, the prompt names the movement, for every mode', async () => {
    const prompts = { blink: 'blink', turn: 'turn', either: 'blinkOrTurn' } as const
    for (const [mode, prompt] of Object.entries(prompts)) {
      const { consumer, screens } = checkIn(mode as LivenessMode, [
        { status: 'needs-liveness', employeeId: 'E1' },
      ])
      // Main answers 200 ms after the frame was taken; frames come every 100 ms meanwhile.
      let answered = 0
      consumer.frame(frame(0))
      void consumer.descriptor(descriptor, frame(0)).then(() => (answered = 200))
      for (let at = 100; at <= 200; at += 100) consumer.frame(frame(at))
      await settle()
      expect(answered).toBe(200)
      const shownBy = (at: number) => {
        consumer.frame(frame(at))
        return screens.at(-1)?.guidance
      }
      expect(shownBy(answered + 100)).toBe(prompt)
    }
  })

  it('keeps following the face while main answers: liveness is watched meanwhile', async () => {
    let answer: (outcome: FaceOutcome) => void = () => {}
    const sent: ('passed' | 'pending')[] = []
    const consumer = new FaceCheckIn({
      liveness: 'turn',
      identify: (_values, state) => {
        sent.push(state)
        return new Promise((resolve) => (answer = resolve))
      },
      paused: () => false,
      show: () => {},
    })
    consumer.frame(frame(0))
    // The frame loop waits for descriptor(); main's answer must not hold up the next frame.
    const next = await Promise.race([
      consumer.descriptor(descriptor, frame(0)).then(() => 'next frame'),
      new Promise((resolve) => setTimeout(() => resolve('stuck'), 50)),
    ])
    expect(next).toBe('next frame')
    for (const [i, yaw] of [10, 20, 30, 30].entries()) consumer.frame(frame(100 + i * 100, { yaw }))
    answer({ status: 'needs-liveness', employeeId: 'E1' })
    await settle()
    // The turn made while main was answering counts: the next question says "passed".
    expect(consumer.wantsDescriptor(frame(600, { yaw: 30 }))).toBe(true)
    void consumer.descriptor(descriptor, frame(600, { yaw: 30 }))
    expect(sent).toEqual(['pending', 'passed'])
  })
})
