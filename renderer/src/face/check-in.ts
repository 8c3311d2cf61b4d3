/**
 * Face check-in for the frames of the kiosk camera: follows one face at a time, watches its
 * liveness on every frame, sends descriptors to main without holding up the frames, and turns
 * main's answers into what the person sees. A face that was answered (greeted, or "already") is not asked about again until
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

/**
 * How long to wait before asking main again, ms. Once main has named the face and waits for
 * liveness, asking again tells nothing new and takes the CPU the liveness frames need; the pause
 * stays under main's 3 s agreement window, so the question sent once liveness passes still
 * agrees with the last one and punches at once.
 */
const retryAfter = { unknown: 2000, needsLiveness: 2000, badgeFirst: 500, failed: 3000 }
/** At most this many questions to main at once: the pair from a face that just held still. */
const maxAsking = 2
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
  /** The latest frame of the current track. */
  private latest: FrameView | null = null
  /** Descriptors sent to main and not yet answered. */
  private asking = 0

  constructor(private readonly ports: CheckInPorts) {
    this.liveness = new LivenessTrack(ports.liveness)
  }

  frame(view: FrameView): void {
    const { track, face } = view
    // A face missing for a frame or two keeps its track; the tracker decides when it has left.
    if (!track || !face) return this.render(null, view.at)
    if (track.id !== this.trackId) this.newFace(track.id)
    this.latest = view
    if (this.liveness.observe(face.landmarks, view.at) && !this.passedMeasured) {
      this.passedMeasured = true
      measureSince(LIVENESS_PASSED_MEASURE, track.startedAt)
    }
    this.render(this.guidanceOf(view), view.at)
  }

  wantsDescriptor(view: FrameView): boolean {
    if (this.answered || this.ports.paused() || this.asking >= maxAsking) return false
    // Liveness just passed: ask at once, the person should not wait for the retry pause.
    return view.at >= this.askAgainAt || (this.livenessWanted && this.liveness.passed)
  }

  /**
   * Sends the descriptor to main. While liveness is still to be seen it returns at once, so the
   * frames it is seen in go on; otherwise it waits for the answer, sparing the CPU main needs.
   */
  descriptor(values: number[], view: FrameView): Promise<void> {
    const liveness = this.liveness.passed ? 'passed' : 'pending'
    this.asking += 1
    const answered = this.ports
      .identify(values, liveness)
      .then((outcome) => this.answer(outcome, view))
      .finally(() => (this.asking -= 1))
    return this.liveness.prompt ? Promise.resolve() : answered
  }

  private answer(outcome: FaceOutcome | null, view: FrameView): void {
    // An answer for a face that has left, or was already greeted, changes nothing.
    if (!view.track || view.track.id !== this.trackId || this.answered) return
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
        // Say which movement now, not at the next frame: on a busy kiosk that can be far off.
        if (this.latest) this.render(this.guidanceOf(this.latest), this.latest.at)
        return
      default:
        this.answered = true
        this.unknownUntil = 0
        measureSince(WALK_UP_MEASURE, view.track.startedAt)
        this.render(null, now)
    }
  }

  /** The message for the face in `view`, as things stand for its track. */
  private guidanceOf({ track, face }: FrameView): Guidance | null {
    // Nothing to ask of someone who was answered, or who is typing a PIN.
    if (!track || !face || this.answered || this.ports.paused()) return null
    const prompt = this.livenessWanted ? this.liveness.prompt : null
    return guidanceFor(face.quality.problems, track.steadyFrames >= 2, prompt)
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
    this.latest = null
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
