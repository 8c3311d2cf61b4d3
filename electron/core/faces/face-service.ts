/**
 * Faces in main: templates decrypted into an in-memory index that never leaves this process,
 * identification with agreement across frames, liveness required before a punch, enrolment
 * sessions with consent, erasure on request, deactivation and expiry.
 */
import { randomUUID } from 'node:crypto'
import { ClockfaceError, ErrorCode } from '../../shared/errors'
import type { BadgeOutcome, EnrolmentProgress, FaceOutcome, FacePerson } from '../../shared/types'
import type { Attendance } from '../attendance/attendance'
import type { Config } from '../config/config'
import type { Logger } from '../logger'
import { decide, FrameAgreement, TemplateIndex, type Decision } from '../recognition'
import type { NearestPerson } from '../recognition'
import type { Employee, Roster } from '../roster/roster'
import type { Store } from '../store/types'
import { TemplateAdaptation } from './adaptation'
import { FaceData, type Consent } from './face-data'
import type { FaceKeys } from './face-keyring'
import { moveLegacyTemplates } from './legacy-templates'
import { repeatRetentionCheck, type FaceTimers } from './retention-timer'

const sessionTtlMs = 10 * 60_000
/** Face-and-badge mode: how long the badge's holder has to show their face. */
export const verifyWindowMs = 15_000
/** Samples of one enrolment must agree with each other at least this well (fraction of threshold). */
const consistency = 1.0

interface Session {
  employeeId: string
  consent: Consent
  samples: Float32Array[]
  startedAt: number
}

export class FaceService {
  private readonly index = new TemplateIndex()
  private readonly agreement: FrameAgreement
  private readonly adaptation: TemplateAdaptation
  private readonly sessions = new Map<string, Session>()
  /** Face-and-badge mode: whom the last badge named, and until when their face may confirm it. */
  private claim: { employeeId: string; until: number } | null = null
  private stopRetention: () => void = () => {}
  readonly data: FaceData

  constructor(
    private readonly store: Store,
    private readonly keys: FaceKeys,
    private readonly dataDir: string,
    private readonly config: Config,
    private readonly roster: Roster,
    private readonly attendance: Attendance,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    this.data = new FaceData(store, keys.keyring)
    this.agreement = new FrameAgreement(config.faces.agreeFrames, 3000)
    this.adaptation = new TemplateAdaptation(this.data, this.index, config, log)
  }

  /** Moves old-format templates, finishes cut-short erasures and expiries, loads the index. */
  load(): void {
    moveLegacyTemplates(this.store, this.keys, this.dataDir, this.now(), this.log)
    for (const { employeeId, reason } of this.data.unfinishedErasures()) {
      this.data.erase(employeeId, 'kiosk', reason, this.now())
    }
    this.eraseExpired()
    const { byEmployee, unreadable } = this.data.loadAll()
    for (const [employeeId, vectors] of byEmployee) this.index.set(employeeId, vectors)
    if (unreadable > 0)
      this.log.error(`${unreadable} face template(s) could not be decrypted and were ignored`)
    this.log.info(`faces: ${byEmployee.size} people enrolled, ${this.index.size} templates`)
  }

  /** Checks retention every `retentionCheckMs` from now on, while the kiosk runs. */
  start(timers: FaceTimers): void {
    this.stopRetention()
    this.stopRetention = repeatRetentionCheck(timers, () => this.eraseExpired(), this.log)
  }

  /** Stops the retention check and destroys keys a roster change left unused. */
  stop(): void {
    this.stopRetention()
    this.stopRetention = () => {}
    try {
      this.data.destroyUnusedKeys()
    } catch (error) {
      // The next start tries again; closing the store must not wait on it.
      this.log.error('faces: unused keys could not be destroyed', error)
    }
  }

  /** Erases every person whose consent outlived its retention period; returns how many. */
  eraseExpired(): number {
    const expired = this.data.expired(this.now())
    for (const id of expired) this.erase(id, 'kiosk', 'retention period over')
    this.data.destroyUnusedKeys()
    return expired.length
  }

  /** One frame's descriptor: looking, unknown, needs liveness, or a recorded punch. */
  identify(descriptor: Float32Array, liveness: 'passed' | 'pending'): FaceOutcome {
    if (!this.config.faces.enabled)
      throw new ClockfaceError(ErrorCode.FacesDisabled, 'Face check-in is off.')
    const { threshold, margin, mode } = this.config.faces
    const nearest = this.index.nearestPeople(descriptor)
    const decision =
      mode === 'faceAndBadge' ? this.verifyClaim(nearest) : decide(nearest, { threshold, margin })
    if (!decision) return { status: 'badge-first' }
    this.adaptation.observe(descriptor, nearest, this.now())
    const agreed = this.agreement.observe(decision, this.now())
    // While a badge waits for its holder's face, anyone else is simply not them: keep looking.
    if (agreed.status === 'unknown' && mode === 'faceAndBadge') return { status: 'looking' }
    if (agreed.status !== 'match') return agreed
    const employee = this.roster.byId(agreed.employeeId)
    if (!employee?.active) return { status: 'unknown' }
    const livenessRequired = this.config.faces.liveness !== 'off'
    if (livenessRequired && liveness !== 'passed')
      return { status: 'needs-liveness', employeeId: employee.id }
    this.agreement.reset()
    this.claim = null
    const outcome = this.attendance.recordPunch(employee, 'face', {
      matchDistance: agreed.distance,
      liveness: livenessRequired ? 'passed' : 'not_checked',
    })
    if (outcome.status === 'recorded' && livenessRequired)
      this.adaptation.afterLivePunch(employee.id, this.now())
    return outcome
  }

  /**
   * Face-and-badge mode: a badge that names someone with face data records nothing yet; their
   * face must confirm it within the window. Null when the badge alone should punch: the mode is
   * off, or the person has no face data (nobody can be made to give it).
   */
  claimByBadge(employee: Employee): BadgeOutcome | null {
    const { enabled, mode } = this.config.faces
    if (!enabled || mode !== 'faceAndBadge' || !this.index.has(employee.id)) return null
    const until = this.now() + verifyWindowMs
    this.claim = { employeeId: employee.id, until }
    this.agreement.reset()
    return {
      status: 'verify-face',
      employeeId: employee.id,
      name: employee.name,
      until: new Date(until).toISOString(),
    }
  }

  /** 1:1 against the badge's holder, but never a face that is nearer to someone else. */
  private verifyClaim(nearest: NearestPerson[]): Decision | null {
    const claim = this.claim
    if (!claim || this.now() > claim.until || !this.index.has(claim.employeeId)) {
      this.claim = null
      return null
    }
    const [best] = nearest
    if (best?.employeeId === claim.employeeId && best.distance <= this.config.faces.threshold) {
      return { kind: 'match', employeeId: best.employeeId, distance: best.distance }
    }
    return { kind: 'unknown', distance: best?.distance ?? null }
  }

  /** Opens an enrolment for an active person; consent is recorded with its date now. */
  startEnrolment(employeeId: string, method: Consent['method']): EnrolmentProgress {
    const employee = this.roster.byId(employeeId)
    if (!employee?.active)
      throw new ClockfaceError(ErrorCode.EmployeeUnknown, 'No such active person.')
    this.dropStaleSessions()
    const sessionId = randomUUID()
    this.sessions.set(sessionId, {
      employeeId,
      consent: { method, signedAt: this.now() },
      samples: [],
      startedAt: this.now(),
    })
    return this.progress(sessionId, null)
  }

  /** Adds a sample unless it matches someone else or disagrees with the earlier samples. */
  addSample(sessionId: string, descriptor: Float32Array): EnrolmentProgress {
    const session = this.session(sessionId)
    if (this.matchesSomeoneElse(descriptor, session.employeeId)) {
      return this.progress(sessionId, 'matches-someone-else')
    }
    const probe = new TemplateIndex()
    probe.set(session.employeeId, session.samples)
    const nearest = probe.nearestPeople(descriptor)[0]
    if (nearest && nearest.distance > this.config.faces.threshold * consistency) {
      return this.progress(sessionId, 'inconsistent')
    }
    session.samples.push(descriptor)
    return this.progress(sessionId, null)
  }

  /** Stores the session's samples as the person's templates (replacing earlier ones). */
  finishEnrolment(sessionId: string, actor: string): FacePerson {
    const session = this.session(sessionId)
    if (session.samples.length < this.config.faces.enrolmentSamples) {
      throw new ClockfaceError(ErrorCode.EnrolmentIncomplete, 'Not enough good samples yet.', {
        accepted: session.samples.length,
        needed: this.config.faces.enrolmentSamples,
      })
    }
    this.sessions.delete(sessionId)
    this.save(session.employeeId, session.samples, session.consent, actor)
    return this.person(session.employeeId)
  }

  /** Bulk enrolment from already-checked photo descriptors (CLI); needs at least three. */
  async enrolDescriptors(
    employeeId: string,
    descriptors: Float32Array[],
    consent: Consent,
    actor: string,
  ): Promise<{ templates: number }> {
    const employee = this.roster.byId(employeeId)
    if (!employee?.active)
      throw new ClockfaceError(ErrorCode.EmployeeUnknown, `No active person ${employeeId}.`)
    if (descriptors.length < 3) {
      throw new ClockfaceError(
        ErrorCode.EnrolmentIncomplete,
        'At least three good photos are needed.',
      )
    }
    const clash = descriptors.find((d) => this.matchesSomeoneElse(d, employeeId))
    if (clash) {
      throw new ClockfaceError(
        ErrorCode.EnrolmentIncomplete,
        'These photos match someone else already enrolled.',
      )
    }
    this.save(employeeId, descriptors, consent, actor)
    return { templates: descriptors.length }
  }

  /** Erases a person's face data and consent (audited). */
  erase(employeeId: string, actor: string, reason: string): void {
    this.data.erase(employeeId, actor, reason, this.now())
    this.index.remove(employeeId)
  }

  /**
   * For roster changes, before the commit that makes the person inactive and erases their rows
   * (audited there): their keys are destroyed first and their templates leave the index.
   */
  forget(employeeId: string): void {
    this.keys.keyring.destroy((k) => k.employeeId === employeeId)
    this.index.remove(employeeId)
  }

  person(employeeId: string): FacePerson {
    const employee = this.roster.byId(employeeId)
    const status = this.data.status(employeeId)
    return {
      id: employeeId,
      name: employee?.name ?? employeeId,
      templates: status.templates,
      consentSignedAt:
        status.consentSignedAt !== null ? new Date(status.consentSignedAt).toISOString() : null,
    }
  }

  private save(employeeId: string, vectors: Float32Array[], consent: Consent, actor: string): void {
    this.data.replace(
      employeeId,
      vectors,
      consent,
      this.config.faces.retentionDays,
      actor,
      this.now(),
    )
    this.index.set(employeeId, vectors)
  }

  private matchesSomeoneElse(descriptor: Float32Array, employeeId: string): boolean {
    const other = this.index.nearestPeople(descriptor).find((p) => p.employeeId !== employeeId)
    return other !== undefined && other.distance <= this.config.faces.threshold
  }

  private session(sessionId: string): Session {
    this.dropStaleSessions()
    const session = this.sessions.get(sessionId)
    if (!session)
      throw new ClockfaceError(ErrorCode.EnrolmentUnknown, 'This enrolment has ended; start again.')
    return session
  }

  private dropStaleSessions(): void {
    for (const [id, s] of this.sessions)
      if (this.now() - s.startedAt > sessionTtlMs) this.sessions.delete(id)
  }

  private progress(sessionId: string, refused: EnrolmentProgress['refused']): EnrolmentProgress {
    const session = this.sessions.get(sessionId)!
    return {
      sessionId,
      accepted: session.samples.length,
      needed: this.config.faces.enrolmentSamples,
      refused,
    }
  }
}
