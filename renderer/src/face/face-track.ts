/**
 * Which detected face the kiosk is following from frame to frame. A face that jumps elsewhere,
 * or is gone for a moment, starts a new track: identification and liveness begin again.
 */

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** Overlap of two boxes: 1 the same, 0 apart. */
export function overlap(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (width <= 0 || height <= 0) return 0
  const shared = width * height
  return shared / (a.width * a.height + b.width * b.height - shared)
}

export interface TrackState {
  /** Increases with every new face; 0 before the first. */
  id: number
  /** The first frame of this track, ms (performance.now()). */
  startedAt: number
  /** Consecutive frames, including this one, whose box barely moved. */
  steadyFrames: number
}

export interface TrackerOptions {
  /** Overlap with the last box at or above which the face held still. */
  steady: number
  /** Overlap below which it is someone (or something) else. */
  sameFace: number
  /** A face missing longer than this has left, ms. */
  leaveAfterMs: number
}

export const defaultTrackerOptions: TrackerOptions = {
  steady: 0.8,
  sameFace: 0.3,
  leaveAfterMs: 700,
}

/** Follows the chosen face across frames. */
export class FaceTracker {
  private last: Box | null = null
  private lastSeenAt = -Infinity
  private state: TrackState = { id: 0, startedAt: 0, steadyFrames: 0 }

  constructor(private readonly options: TrackerOptions = defaultTrackerOptions) {}

  /** The current track, or null when no face is being followed. */
  get current(): TrackState | null {
    return this.last ? this.state : null
  }

  /** One analysed frame: the chosen face's box, or null; returns the track it belongs to. */
  update(box: Box | null, at: number): TrackState | null {
    if (!box) {
      if (this.last && at - this.lastSeenAt > this.options.leaveAfterMs) this.last = null
      return null
    }
    const similarity = this.last ? overlap(this.last, box) : 0
    if (!this.last || similarity < this.options.sameFace) {
      this.state = { id: this.state.id + 1, startedAt: at, steadyFrames: 1 }
    } else {
      const steady = similarity >= this.options.steady
      this.state = { ...this.state, steadyFrames: steady ? this.state.steadyFrames + 1 : 1 }
    }
    this.last = box
    this.lastSeenAt = at
    return this.state
  }

  /** Forgets the face: the next one starts a new track. */
  reset(): void {
    this.last = null
  }
}
