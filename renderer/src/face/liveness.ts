/**
 * Active liveness from 68 face landmarks across the frames of one face track: a blink (both eyes
 * close, then reopen) or a head turn (the nose tip, which stands out of the face, moves against
 * the eye and mouth corners). See face-geometry.ts for why a flat photo cannot fake either.
 *
 * Limits, honestly: a video of the person replayed on a screen, or a 3D mask, can pass; this
 * stops printed or on-screen still photos. The landmark model moves the eyelid points only a
 * little for closed eyes, so blinks are detected less reliably than turns: 'either' or 'turn'
 * are the dependable modes. Liveness belongs to a face track; check-in (check-in.ts) also drops
 * it when main sees nobody it knows or names someone else, yet a live person swapping in a
 * photo at exactly their own place within one or two frames is not detected.
 */
import type { LivenessMode } from '../../../electron/shared/types'
import { faceGeometry, type FaceGeometry, type Point } from './face-geometry'

export type { Point }

export interface LivenessThresholds {
  /** A turn: smoothed yaw must span at least this much within the track. */
  turnRange: number
  /** A blink: both eyes at most this fraction of their open baseline… */
  closedFraction: number
  /** …then, on average, back above this fraction… */
  reopenedFraction: number
  /** …within this many ms. */
  blinkWithinMs: number
  /** Head pose must stay this close to its baseline while the eyes close. */
  blinkMaxYawShift: number
  /** Frames older than this are forgotten, ms. */
  windowMs: number
}

/**
 * Measured with face-api's landmark model on real photos and video: camera noise moves yaw by
 * ±0.012 and the eye ratio by ±3%; a printed photo turned, tilted and brought close (up to 65°,
 * strong perspective) moves yaw by at most 0.13 and the eye ratio by 7%; a person turning the
 * head moves yaw by 0.16 for a turn of about 25° (0.49 over the turns in the test video).
 */
export const defaultThresholds: LivenessThresholds = {
  turnRange: 0.16,
  closedFraction: 0.72,
  reopenedFraction: 0.85,
  blinkWithinMs: 1000,
  blinkMaxYawShift: 0.05,
  windowMs: 4000,
}

/** Landmarks a real face can have; anything else is a detector glitch and is ignored. */
function plausible({ leftEye, rightEye, yaw }: FaceGeometry): boolean {
  return leftEye >= 0 && rightEye >= 0 && leftEye < 0.4 && rightEye < 0.4 && yaw > 0 && yaw < 1
}

interface Sample extends FaceGeometry {
  at: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** What the person is asked to do while liveness is pending. */
export type LivenessPrompt = 'blink' | 'turn' | 'blink-or-turn'

/** Liveness for one face track; reset it when the face leaves or another face takes its place. */
export class LivenessTrack {
  private samples: Sample[] = []
  /** Recent frames with the eyes open: the baseline a blink is measured against. */
  private openEyes: Sample[] = []
  /** When the eyes were last seen shut, and the head pose then. */
  private closedAt: number | null = null
  private closedYaw = 0
  private yawLow = Infinity
  private yawHigh = -Infinity
  private done = false

  constructor(
    readonly mode: LivenessMode,
    private readonly limits: LivenessThresholds = defaultThresholds,
  ) {}

  /** True once this track has shown a blink or turn that the mode accepts (never for 'off'). */
  get passed(): boolean {
    return this.done
  }

  /** What to ask for, or null when nothing is needed. */
  get prompt(): LivenessPrompt | null {
    if (this.mode === 'off' || this.done) return null
    return this.mode === 'either' ? 'blink-or-turn' : this.mode
  }

  /** Forgets everything: a new face, or the same face after it left. */
  reset(): void {
    this.samples = []
    this.openEyes = []
    this.closedAt = null
    this.yawLow = Infinity
    this.yawHigh = -Infinity
    this.done = false
  }

  /** Adds one frame's landmarks taken at `at` ms; returns `passed`. */
  observe(landmarks: readonly Point[], at: number): boolean {
    if (this.mode === 'off' || this.done) return this.done
    const geometry = faceGeometry(landmarks)
    if (!geometry || !plausible(geometry)) return false
    const sample = { ...geometry, at }
    const recent = (list: Sample[]) => list.filter((s) => at - s.at <= this.limits.windowMs)
    this.samples = recent(this.samples)
    this.openEyes = recent(this.openEyes)
    const turned = this.mode !== 'blink' && this.observeYaw(sample)
    const blinked = this.mode !== 'turn' && this.observeEyes(sample)
    this.samples.push(sample)
    this.done = turned || blinked
    return this.done
  }

  // The median of three consecutive frames: one stray frame can never make a turn.
  private observeYaw(sample: Sample): boolean {
    const recent = this.samples.slice(-2)
    if (recent.length < 2) return false
    const smoothed = median([sample.yaw, ...recent.map((s) => s.yaw)])
    this.yawLow = Math.min(this.yawLow, smoothed)
    this.yawHigh = Math.max(this.yawHigh, smoothed)
    return this.yawHigh - this.yawLow >= this.limits.turnRange
  }

  private observeEyes(sample: Sample): boolean {
    if (this.openEyes.length < 3) {
      this.openEyes.push(sample)
      return false
    }
    const left = median(this.openEyes.map((s) => s.leftEye))
    const right = median(this.openEyes.map((s) => s.rightEye))
    const yaw = median(this.openEyes.map((s) => s.yaw))
    const { closedFraction, reopenedFraction, blinkWithinMs, blinkMaxYawShift } = this.limits
    const shut =
      sample.leftEye <= left * closedFraction && sample.rightEye <= right * closedFraction
    if (shut && Math.abs(sample.yaw - yaw) <= blinkMaxYawShift) {
      this.closedAt = sample.at
      this.closedYaw = sample.yaw
      return false
    }
    if (this.closedAt !== null && sample.at - this.closedAt <= blinkWithinMs) {
      const opening = (sample.leftEye + sample.rightEye) / (left + right)
      return (
        opening >= reopenedFraction && Math.abs(sample.yaw - this.closedYaw) <= blinkMaxYawShift
      )
    }
    this.closedAt = null
    this.openEyes.push(sample)
    return false
  }
}
