/**
 * Face check-in for the frames of the kiosk camera: follows one face at a time, watches its
 * liveness, sends descriptors to main one at a time, and turns main's answers into what the
 * person sees. A face that was answered (greeted, or "already") is not asked about again until
 * it leaves; a new face starts over, liveness included.
 */
import type { FaceOutcome, LivenessMode } from '../../../electron/shared/types'
import type { FrameConsumer, FrameView } from './frame-loop'
import { guidanceFor, type Guidance } from './guidance'
import { LivenessTrack } from './liveness'
import {
  LIVENESS_PASSED_MEASURE,
  LIVENESS_PROMPT_MEASURE,
  measureSince,
  NEEDS_LIVENESS_MEASURE,
  WALK_UP_MEASURE,
} from './timing'

export interface CheckInScreen {
  /** The live message, or null for none. */
  guidance: Guidance | null
  /** Main said this face is nobody enrolled. */
  unknown: boolean
}

export interface CheckInPorts {
  liveness: LivenessMode
  /** Asks main; null when the call failed (main already told the person, or will). */
  identify(descriptor: number[], liveness: 'passed' | 'pending'): Promise<FaceOutcome | null>
  /** Whether identifying must wait (a notice or a panel is on screen). */
  paused(): boolean
  show(screen: CheckInScreen): void
}

const isLivenessPrompt = (guidance: Guidance | null) =>
  guidance === 'blink' || guidance === 'turn' || guidance === 'blinkOrTurn'

/** How long to wait before asking main again, ms. */
const retryAfter = { unknown: 2000, needsLiveness: 700, badgeFirst: 500, failed: 3000 }
/** How long "not recognised" stays up without a new answer, ms. */
const unknownShownMs = 4000

export class FaceCheckIn implements FrameConsumer {
  private readonly liveness: LivenessTrack
  private trackId = 0
  private answered = false
  private askAgainAt = 0
  private unknownUntil = 0
  private livenessWanted = false
  private employeeId: string | null = null
  /** performance.now() when main asked for liveness and no prompt was shown yet. */
  private promptOwedSince: number | null = null
  private passedMeasured = false

  constructor(private readonly ports: CheckInPorts) {
    this.liveness = new LivenessTrack(ports.liveness)
  }

  frame(view: FrameView): void {
    const { track, face } = view
    // A face missing for a frame or two keeps its track; the tracker decides when it has left.
    if (!track || !face) return this.render(null, view.at)
    if (track.id !== this.trackId) this.newFace(track.id)
    if (this.liveness.observe(face.landmarks, view.at) && !this.passedMeasured) {
      this.passedMeasured = true
      measureSince(LIVENESS_PASSED_MEASURE, track.startedAt)
    }
    // Nothing to ask of someone who was answered, or who is typing a PIN.
    if (this.answered || this.ports.paused()) return this.render(null, view.at)
    const prompt = this.livenessWanted ? this.liveness.prompt : null
    const steady = track.steadyFrames >= 2
    this.render(guidanceFor(face.quality.problems, steady, prompt), view.at)
  }

  wantsDescriptor(view: FrameView): boolean {
    if (this.answered || this.ports.paused()) return false
    // Liveness just passed: ask at once, the person should not wait for the retry pause.
    return view.at >= this.askAgainAt || (this.livenessWanted && this.liveness.passed)
  }

  async descriptor(values: number[], view: FrameView): Promise<void> {
    const liveness = this.liveness.passed ? 'passed' : 'pending'
    const outcome = await this.ports.identify(values, liveness)
    if (!view.track || view.track.id !== this.trackId) return
    const now = view.at
    if (!outcome) {
      this.askAgainAt = now + retryAfter.failed
      return
    }
    switch (outcome.status) {
      case 'looking':
        return
      case 'badge-first':
        // Face-and-badge mode: nobody is named by a face alone; ask again soon after a scan.
        this.askAgainAt = now + retryAfter.badgeFirst
        return
      case 'unknown':
        // Liveness belongs to whoever showed it: if main sees nobody it knows, start over, so a
        // live stranger cannot turn their head and then hold up someone's photo in their place.
        this.liveness.reset()
        this.employeeId = null
        this.unknownUntil = now + unknownShownMs
        this.askAgainAt = now + retryAfter.unknown
        return this.render(null, now)
      case 'needs-liveness':
        // Main now names someone else: whatever liveness was seen belonged to another face.
        if (this.employeeId !== null && this.employeeId !== outcome.employeeId)
          this.liveness.reset()
        this.employeeId = outcome.employeeId
        if (!this.livenessWanted) {
          measureSince(NEEDS_LIVENESS_MEASURE, view.track.startedAt)
          this.promptOwedSince = performance.now()
        }
        this.livenessWanted = true
        this.unknownUntil = 0
        this.askAgainAt = now + retryAfter.needsLiveness
        return
      default:
        this.answered = true
        this.unknownUntil = 0
        measureSince(WALK_UP_MEASURE, view.track.startedAt)
        this.render(null, now)
    }
  }

  private newFace(id: number): void {
    this.forgetFace()
    this.trackId = id
  }

  private forgetFace(): void {
    this.liveness.reset()
    this.answered = false
    this.askAgainAt = 0
    this.livenessWanted = false
    this.employeeId = null
    this.promptOwedSince = null
    this.passedMeasured = false
  }

  private render(guidance: Guidance | null, at: number): void {
    const unknown = at < this.unknownUntil
    const shown = unknown ? null : guidance
    if (this.promptOwedSince !== null && isLivenessPrompt(shown)) {
      measureSince(LIVENESS_PROMPT_MEASURE, this.promptOwedSince)
      this.promptOwedSince = null
    }
    this.ports.show({ guidance: shown, unknown })
  }
}
