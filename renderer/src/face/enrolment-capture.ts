/**
 * Collecting enrolment samples from the camera: only steady, good faces (the frame loop sees to
 * that), spaced out in time, each taken when the person has reached the pose asked for —
 * straight, slightly left, slightly right, slightly up, then round again — so the templates
 * cover more than one pose. Someone who cannot turn still completes: after `poseTimeoutMs`
 * with a face in view the pose is taken as it is. Poor frames only produce guidance.
 */
import type { FrameConsumer, FrameView } from './frame-loop'
import { guidanceFor, type Guidance } from './guidance'

/** The poses an enrolment asks for, in order; left and right are the person's own. */
export type EnrolmentPose = 'straight' | 'left' | 'right' | 'up'
export const enrolmentPoses: readonly EnrolmentPose[] = ['straight', 'left', 'right', 'up']

export interface CapturePorts {
  /** Whether more samples are wanted now (a session is open and not yet complete). */
  wanted(): boolean
  sample(descriptor: number[]): Promise<void>
  /** A quality problem to fix first (or null), and the pose asked for (null: none now). */
  show(guidance: Guidance | null, pose: EnrolmentPose | null): void
}

export interface CaptureOptions {
  /** Never two samples closer than this, ms. */
  minGapMs: number
  /** With a face in view this long without reaching the pose, it is taken as it is, ms. */
  poseTimeoutMs: number
  /** Straight: yaw and pitch both within this many degrees of frontal. */
  straightDeg: number
  /** Left or right: at least this many degrees of yaw. */
  turnDeg: number
  /** Up: at least this many degrees of pitch (chin raised). */
  upDeg: number
}

// Turn and lift are well inside the quality gate's 45° yaw and 35° pitch, where descriptors
// stay good, and clear of the few degrees a frontal face wanders by.
export const defaultCaptureOptions: CaptureOptions = {
  minGapMs: 400,
  poseTimeoutMs: 3000,
  straightDeg: 8,
  turnDeg: 10,
  upDeg: 8,
}

/** Whether a head at `yaw`/`pitch` degrees (face-api frame: yaw > 0 is the person's left). */
export function poseReached(
  pose: EnrolmentPose,
  head: { yaw: number; pitch: number },
  options: CaptureOptions = defaultCaptureOptions,
): boolean {
  // The camera frame is not mirrored: a person turning to their left points the nose towards
  // the frame's right, which is positive yaw.
  switch (pose) {
    case 'straight':
      return (
        Math.abs(head.yaw) <= options.straightDeg && Math.abs(head.pitch) <= options.straightDeg
      )
    case 'left':
      return head.yaw >= options.turnDeg
    case 'right':
      return head.yaw <= -options.turnDeg
    case 'up':
      return head.pitch >= options.upDeg
  }
}

export class EnrolmentCapture implements FrameConsumer {
  private lastSampleAt = -Infinity
  private samples = 0
  /** When the current pose was first asked of a face in view; null while nobody is there. */
  private poseSince: number | null = null

  constructor(
    private readonly ports: CapturePorts,
    private readonly options: CaptureOptions = defaultCaptureOptions,
  ) {}

  /** The pose asked for now. */
  get pose(): EnrolmentPose {
    return enrolmentPoses[this.samples % enrolmentPoses.length]!
  }

  frame(view: FrameView): void {
    if (!view.face || !view.track || !this.ports.wanted()) {
      this.poseSince = null
      return this.ports.show(null, null)
    }
    this.poseSince ??= view.at
    const problem = guidanceFor(view.face.quality.problems, view.track.steadyFrames >= 2)
    // Moving into the pose is no fault: "hold still" only once the pose is there.
    const moving =
      problem === 'holdStill' && !poseReached(this.pose, view.face.quality, this.options)
    this.ports.show(moving ? null : problem, this.pose)
  }

  wantsDescriptor(view: FrameView): boolean {
    if (!view.face || !this.ports.wanted()) return false
    if (view.at - this.lastSampleAt < this.options.minGapMs) return false
    const waited = this.poseSince !== null && view.at - this.poseSince >= this.options.poseTimeoutMs
    return waited || poseReached(this.pose, view.face.quality, this.options)
  }

  async descriptor(values: number[], view: FrameView): Promise<void> {
    this.lastSampleAt = view.at
    this.samples++
    this.poseSince = view.at
    await this.ports.sample(values)
  }
}
