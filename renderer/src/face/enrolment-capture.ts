/**
 * Collecting enrolment samples from the camera: only steady, good faces (the frame loop sees to
 * that), spaced out in time, with a small head turn asked for between samples so the templates
 * cover more than one pose. Poor frames only produce guidance, never a sample.
 */
import { faceGeometry } from './face-geometry'
import type { FrameConsumer, FrameView } from './frame-loop'
import { guidanceFor, type Guidance } from './guidance'

export interface CapturePorts {
  /** Whether more samples are wanted now (a session is open and not yet complete). */
  wanted(): boolean
  sample(descriptor: number[]): Promise<void>
  show(guidance: Guidance | null): void
}

export interface CaptureOptions {
  /** Never two samples closer than this, ms. */
  minGapMs: number
  /** After this long without a new pose, the same pose is taken again, ms. */
  samePoseAfterMs: number
  /** A yaw change that counts as a new pose (see face-geometry). */
  newPose: number
}

export const defaultCaptureOptions: CaptureOptions = {
  minGapMs: 400,
  samePoseAfterMs: 1500,
  newPose: 0.04,
}

export class EnrolmentCapture implements FrameConsumer {
  private lastSampleAt = -Infinity
  private lastYaw: number | null = null

  constructor(
    private readonly ports: CapturePorts,
    private readonly options: CaptureOptions = defaultCaptureOptions,
  ) {}

  frame(view: FrameView): void {
    if (!view.face || !view.track || !this.ports.wanted()) return this.ports.show(null)
    const steady = view.track.steadyFrames >= 2
    const problem = guidanceFor(view.face.quality.problems, steady)
    const wantsTurn = this.lastYaw !== null && !this.newPose(view) && !this.waitedLongEnough(view)
    this.ports.show(problem ?? (wantsTurn ? 'turn' : null))
  }

  wantsDescriptor(view: FrameView): boolean {
    if (!this.ports.wanted() || view.at - this.lastSampleAt < this.options.minGapMs) return false
    return this.lastYaw === null || this.newPose(view) || this.waitedLongEnough(view)
  }

  async descriptor(values: number[], view: FrameView): Promise<void> {
    this.lastSampleAt = view.at
    this.lastYaw = this.yawOf(view)
    await this.ports.sample(values)
  }

  private yawOf(view: FrameView): number | null {
    return view.face ? (faceGeometry(view.face.landmarks)?.yaw ?? null) : null
  }

  private newPose(view: FrameView): boolean {
    const yaw = this.yawOf(view)
    return (
      yaw !== null && this.lastYaw !== null && Math.abs(yaw - this.lastYaw) >= this.options.newPose
    )
  }

  private waitedLongEnough(view: FrameView): boolean {
    return view.at - this.lastSampleAt >= this.options.samePoseAfterMs
  }
}
