/**
 * Safe template adaptation: after a recorded face punch with liveness passed, the punch's last
 * frame may become an adaptive template of that person, up to `faces.adaptiveTemplates`, the
 * oldest adaptive one replaced first. Every condition below must hold; each guards one way in
 * which templates could drift toward someone else.
 */
import type { Config } from '../config/config'
import type { Logger } from '../logger'
import type { NearestPerson, TemplateIndex } from '../recognition'
import type { PersonTemplate } from './adaptive-templates'
import type { FaceData } from './face-data'

/**
 * A frame is confident within this fraction of `faces.threshold`. At the shipped 0.5 that is
 * 0.40: about the genuine median (0.357) measured on ../shared/faces, and well short of the
 * nearest other person seen there (0.536), so only the better half of walk-ups qualify.
 */
export const confidentFraction = 0.8
/** The runner-up must be this many `faces.margin`s further away than the person (0.2 at 0.1). */
export const gapMargins = 2
/** Nearer than this fraction of the threshold to a template of theirs, a frame adds nothing. */
export const redundantFraction = 0.3
/** At most one adaptive template per person in this time, so a burst of frames cannot walk it. */
export const adaptEveryMs = 24 * 3_600_000
/** Frames older than this are not the punch's frames (as in FrameAgreement). */
const frameWindowMs = 3000

interface Frame {
  descriptor: Float32Array
  nearest: NearestPerson[]
  atMs: number
}

/** Why a punch taught nothing, or what it added. */
export type AdaptationResult =
  { added: true; adaptive: number; replaced: boolean } | { added: false; reason: string }

export class TemplateAdaptation {
  private frames: Frame[] = []

  constructor(
    private readonly data: FaceData,
    private readonly index: TemplateIndex,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /**
   * Keeps one frame's descriptor and its nearest people. Fed the same frames as FrameAgreement,
   * so at a punch the last `agreeFrames` kept are the frames that agreed.
   */
  observe(descriptor: Float32Array, nearest: NearestPerson[], atMs: number): void {
    this.frames.push({ descriptor, nearest, atMs })
    this.frames = this.frames.filter((f) => atMs - f.atMs <= frameWindowMs)
    this.frames = this.frames.slice(-this.config.faces.agreeFrames)
  }

  /** After a recorded, live face punch: maybe learns its last frame; never throws. */
  afterLivePunch(employeeId: string, now: number): AdaptationResult {
    const frames = this.frames
    this.frames = []
    try {
      return this.learn(employeeId, frames, now)
    } catch (error) {
      // The punch is recorded already; a template it could not teach changes nothing for it.
      this.log.error(`faces: no adaptive template for ${employeeId}`, error)
      return { added: false, reason: 'could not be stored' }
    }
  }

  private learn(employeeId: string, frames: Frame[], now: number): AdaptationResult {
    const s = this.config.faces
    if (s.adaptiveTemplates === 0) return { added: false, reason: 'adaptation is off' }
    const confident = s.threshold * confidentFraction
    const gap = s.margin * gapMargins
    if (frames.length < s.agreeFrames) return { added: false, reason: 'too few frames' }
    for (const { nearest } of frames) {
      const [best, second] = nearest
      if (best?.employeeId !== employeeId) return { added: false, reason: 'frames disagree' }
      if (best.distance > confident) return { added: false, reason: 'near the threshold' }
      if (second && second.distance - best.distance < gap)
        return { added: false, reason: 'runner-up too close' }
    }
    const candidate = frames[frames.length - 1]!
    const templates = this.data.templatesOf(employeeId)
    const enrolled = templates.filter((t) => t.source === 'enrolled')
    const adaptive = templates.filter((t) => t.source === 'adaptive')
    if (enrolled.length === 0) return { added: false, reason: 'no enrolled templates' }
    // Anchored to the enrolment: an adaptive template never extends the reach of another one.
    if (nearestDistance(candidate.descriptor, enrolled) > confident)
      return { added: false, reason: 'too far from the enrolment' }
    if (nearestDistance(candidate.descriptor, templates) < s.threshold * redundantFraction)
      return { added: false, reason: 'redundant' }
    const newest = adaptive[adaptive.length - 1]
    if (newest && now - newest.createdAt < adaptEveryMs)
      return { added: false, reason: 'learnt recently' }
    // Never nearer to anyone else than the person's templates already are at their nearest.
    const other = candidate.nearest.find((p) => p.employeeId !== employeeId)
    if (other && other.distance < this.nearestOtherPerson(employeeId, templates))
      return { added: false, reason: 'nearer to someone else' }
    const replaced = adaptive.length >= s.adaptiveTemplates ? adaptive[0]! : null
    const count = replaced ? adaptive.length : adaptive.length + 1
    this.data.addAdaptive({
      employeeId,
      keyId: enrolled[0]!.keyId,
      vector: candidate.descriptor,
      replaces: replaced?.id ?? null,
      adaptiveAfter: count,
      cap: s.adaptiveTemplates,
      now,
    })
    const kept = templates.filter((t) => t !== replaced).map((t) => t.vector)
    this.index.set(employeeId, [...kept, candidate.descriptor])
    this.log.info(
      `faces: adaptive template added for ${employeeId} (${count} of ${s.adaptiveTemplates})`,
    )
    return { added: true, adaptive: count, replaced: replaced !== null }
  }

  /** The distance from the person's templates to the nearest template of anyone else. */
  private nearestOtherPerson(employeeId: string, templates: PersonTemplate[]): number {
    let nearest = Infinity
    for (const t of templates) {
      const other = this.index.nearestPeople(t.vector).find((p) => p.employeeId !== employeeId)
      if (other) nearest = Math.min(nearest, other.distance)
    }
    return nearest
  }
}

function nearestDistance(vector: Float32Array, templates: PersonTemplate[]): number {
  let nearest = Infinity
  for (const t of templates) {
    let sum = 0
    for (let k = 0; k < vector.length; k++) sum += (vector[k]! - t.vector[k]!) ** 2
    nearest = Math.min(nearest, Math.sqrt(sum))
  }
  return nearest
}
