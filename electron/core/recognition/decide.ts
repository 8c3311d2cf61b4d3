/**
 * From distances to decisions: one frame's decision, then agreement across frames. The kiosk
 * and `faces eval` use exactly these, with config.faces.threshold, margin and agreeFrames.
 */
import type { NearestPerson } from './template-index'

/** What one descriptor says; `distance` is to the nearest person (null when nobody is enrolled). */
export type Decision =
  | { kind: 'match'; employeeId: string; distance: number }
  | { kind: 'unknown'; distance: number | null }

export interface DecisionLimits {
  /** Largest distance that still counts as the same person. */
  threshold: number
  /** How much nearer the best person must be than the next different person. */
  margin: number
}

/** Matches the best person only within the threshold and clear of the runner-up by the margin. */
export function decide(nearest: NearestPerson[], limits: DecisionLimits): Decision {
  const [best, second] = nearest
  if (!best) return { kind: 'unknown', distance: null }
  if (best.distance > limits.threshold) return { kind: 'unknown', distance: best.distance }
  if (second && second.distance - best.distance < limits.margin) {
    return { kind: 'unknown', distance: best.distance }
  }
  return { kind: 'match', employeeId: best.employeeId, distance: best.distance }
}

export type Agreement =
  | { status: 'looking' }
  | { status: 'match'; employeeId: string; distance: number }
  | { status: 'unknown' }

/**
 * Says who is there only when the last `frames` decisions, all within `windowMs`, agree; an
 * "unknown" needs the same agreement, so one bad frame never turns a person away.
 */
export class FrameAgreement {
  private recent: { key: string; decision: Decision; atMs: number }[] = []

  constructor(
    private readonly frames: number,
    private readonly windowMs: number,
  ) {
    if (!Number.isInteger(frames) || frames < 1) throw new RangeError('frames must be 1 or more')
  }

  /** Adds one frame's decision at `atMs` (monotonic ms) and says what the frames agree on. */
  observe(decision: Decision, atMs: number): Agreement {
    const latest = this.recent[this.recent.length - 1]
    if (latest && atMs < latest.atMs) this.recent = []
    this.recent.push({
      key: decision.kind === 'match' ? `=${decision.employeeId}` : '?',
      decision,
      atMs,
    })
    this.recent = this.recent.filter((r) => atMs - r.atMs <= this.windowMs).slice(-this.frames)
    if (
      this.recent.length < this.frames ||
      this.recent.some((r) => r.key !== this.recent[0]!.key)
    ) {
      return { status: 'looking' }
    }
    if (decision.kind === 'unknown') return { status: 'unknown' }
    // The worst of the agreeing frames, so what is recorded never flatters the match.
    const distance = Math.max(...this.recent.map((r) => r.decision.distance ?? 0))
    return { status: 'match', employeeId: decision.employeeId, distance }
  }

  /** Forgets earlier frames (after a punch, or when the face leaves). */
  reset(): void {
    this.recent = []
  }
}
