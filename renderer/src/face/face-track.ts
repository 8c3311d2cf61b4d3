/**
 * Which detected face the kiosk is following from frame to frame. A face that jumps elsewhere,
 * changes size at a stroke, or is gone for a moment, starts a new track: identification and
 * liveness begin again.
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
  /** How far its centre may move from one analysed frame to the next, in widths of its box. */
  maxStep: number
  /** How much larger (or smaller) its box may get from one frame to the next. */
  maxGrowth: number
  /** A face missing longer than this has left, ms. */
  leaveAfterMs: number
}

/**
 * A head moves at most about its own width between two analysed frames (100–250 ms apart on a
 * busy kiosk) and does not double or halve in size; the detector's box for one face varies by a
 * fifth or more from frame to frame. Anything farther is someone, or something, else.
 */
export const defaultTrackerOptions: TrackerOptions = {
  steady: 0.8,
  maxStep: 1,
  maxGrowth: 2,
  leaveAfterMs: 700,
}

/** Whether `next` can be the face seen in `last` one analysed frame earlier. */
function sameFace(last: Box, next: Box, { maxStep, maxGrowth }: TrackerOptions): boolean {
  const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 })
  const [a, b] = [centre(last), centre(next)]
  const growth = Math.max(next.width / last.width, last.width / next.width)
  return Math.hypot(a.x - b.x, a.y - b.y) <= maxStep * last.width && growth <= maxGrowth
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
    // Gone too long, whether or not the frames in between were analysed.
    if (this.last && at - this.lastSeenAt > this.options.leaveAfterMs) this.last = null
    if (!box) return null
    if (!this.last || !sameFace(this.last, box, this.options)) {
      this.state = { id: this.state.id + 1, startedAt: at, steadyFrames: 1 }
    } else {
      const steady = overlap(this.last, box) >= this.options.steady
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
