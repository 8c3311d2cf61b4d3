/**
 * Drains the outbox to the CRM in batches. At-least-once with per-punch answers: a punch is
 * settled only by the CRM's word for it. Failures back off (full jitter, Retry-After honoured);
 * network hints only wake it early, and the next real request decides.
 */
import type { Connector, OutgoingPunch, UploadOutcome } from '../connectors/connector'
import type { Logger } from '../logger'
import { CrmError } from './crm-client'
import { toCrmPunch, UnsendablePunch, type Outbox, type QueuedPunch } from './outbox'
import { Backoff, type RetryPolicy } from './retry'
import type { Scheduler } from './scheduler'

/** What the uploader needs of a connector. */
export type PunchUploadClient = Pick<Connector, 'upload' | 'health' | 'drained'>

export type Connection =
  | { state: 'online'; at: number }
  | { state: 'offline'; since: number; reason: string }
  | { state: 'unauthorised'; since: number }

/** Why the uploader is woken: a hint may shorten a backoff, a new punch may not. */
export type WakeReason = 'start' | 'punch' | 'network' | 'timer'

export interface UploaderOptions {
  outbox: Outbox
  client: PunchUploadClient
  scheduler: Scheduler
  policy: RetryPolicy
  batchSize: number
  /** Punches younger than this stay back: the person may still switch their direction. */
  holdBackMs: number
  log: Logger
  onConnection(connection: Connection): void
  /** After each settled batch, so the status area can count down. */
  onProgress(): void
  random?: () => number
}

export class Uploader {
  private readonly backoff: Backoff
  private running = false
  private wakeAgain = false
  private backingOff = false
  private stopped = false
  private cancelTimer: (() => void) | undefined
  private batchSize: number
  private connection: Connection['state'] | 'unknown' = 'unknown'

  constructor(private readonly o: UploaderOptions) {
    this.batchSize = o.batchSize
    this.backoff = new Backoff(o.policy, o.random)
  }

  /** Runs a cycle now, unless one is running or a backoff must be respected. */
  wake(reason: WakeReason): void {
    if (this.stopped) return
    if (this.running) {
      if (reason !== 'punch' || !this.backingOff) this.wakeAgain = true
      return
    }
    // A new punch never cuts a backoff short: that is how a failing server gets hammered.
    if (reason === 'punch' && (this.backingOff || this.connection === 'unauthorised')) return
    this.cancelTimer?.()
    this.cancelTimer = undefined
    void this.cycle(reason)
  }

  stop(): void {
    this.stopped = true
    this.cancelTimer?.()
  }

  /** Resolves once no cycle is running (for orderly shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5))
  }

  private async cycle(reason: WakeReason): Promise<void> {
    this.running = true
    this.backingOff = false
    try {
      let sent = false
      for (;;) {
        if (this.stopped) return
        const now = this.o.scheduler.now()
        const batch = this.o.outbox.due(this.batchSize, now - this.o.holdBackMs)
        if (batch.length === 0) break
        sent = true
        const punches = this.sendable(batch)
        if (punches.length > 0 && !(await this.send(punches))) return
      }
      // Only an empty outbox may tell the system that every punch up to now is in.
      if (this.o.client.drained && this.o.outbox.depth().pending === 0)
        await this.o.client.drained()
      if (!sent && (this.connection !== 'online' || reason === 'network')) {
        await this.o.client.health()
        this.succeeded()
      }
      this.scheduleHeldBack()
    } catch (error) {
      this.failed(error)
    } finally {
      this.running = false
      if (this.wakeAgain && !this.stopped) {
        this.wakeAgain = false
        if (!this.backingOff) this.wake('timer')
      }
    }
  }

  /** The batch as the contract carries it; a row it cannot carry is dead-lettered, unsent. */
  private sendable(batch: QueuedPunch[]): OutgoingPunch[] {
    const punches: OutgoingPunch[] = []
    for (const row of batch) {
      try {
        const superseded = row.supersedes !== null ? this.o.outbox.punch(row.supersedes) : undefined
        punches.push({
          punch: toCrmPunch(row),
          ...(superseded ? { supersedes: sentForm(superseded) } : {}),
        })
      } catch (error) {
        if (!(error instanceof UnsendablePunch)) throw error
        this.o.outbox.reject(row.id, error.message, this.o.scheduler.now())
        this.o.onProgress()
      }
    }
    return punches
  }

  /**
   * Sends one batch and settles what the system answered for. Punches it asks to wait for stay
   * queued, and the queue backs off by the first one's reason.
   */
  private async send(punches: OutgoingPunch[]): Promise<boolean> {
    try {
      const outcomes = answeredFor(punches, await this.o.client.upload(punches))
      const settled = outcomes.filter((o) => o.status !== 'retry')
      const waiting = outcomes.find((o) => o.status === 'retry')
      this.o.outbox.settle(settled, this.o.scheduler.now())
      this.batchSize = this.o.batchSize
      this.o.onProgress()
      if (waiting) throw waiting.error
      this.succeeded()
      return true
    } catch (error) {
      if (!(error instanceof CrmError)) throw error
      if (error.kind === 'too-large' || (error.kind === 'rejected-request' && punches.length > 1)) {
        // Something in the batch is refused as a whole: halve until the culprit stands alone.
        this.batchSize = Math.max(1, Math.ceil(punches.length / 2))
        return true
      }
      if (error.kind === 'rejected-request') {
        this.o.outbox.reject(
          punches[0]!.punch.id,
          `bad_request: ${error.message}`,
          this.o.scheduler.now(),
        )
        this.o.onProgress()
        return true
      }
      throw error
    }
  }

  private succeeded(): void {
    this.backoff.succeeded()
    this.setConnection({ state: 'online', at: this.o.scheduler.now() })
  }

  private failed(error: unknown): void {
    const now = this.o.scheduler.now()
    const crm = error instanceof CrmError ? error : undefined
    if (!crm) this.o.log.error('upload failed unexpectedly', error)
    const delayMs = this.backoff.failed(error)
    if (crm?.kind === 'unauthorised') {
      this.setConnection({ state: 'unauthorised', since: now })
    } else if (this.connection !== 'offline') {
      this.setConnection({ state: 'offline', since: now, reason: crm ? crm.kind : 'error' })
    }
    this.schedule(delayMs)
  }

  private schedule(delayMs: number): void {
    this.backingOff = true
    this.cancelTimer?.()
    this.cancelTimer = this.o.scheduler.after(delayMs, () => {
      this.cancelTimer = undefined
      this.backingOff = false
      this.wake('timer')
    })
  }

  /** Wakes again when the oldest held-back punch leaves its switch window. */
  private scheduleHeldBack(): void {
    const now = this.o.scheduler.now()
    const next = this.o.outbox.oldestQueuedAfter(now - this.o.holdBackMs)
    if (next === undefined) return
    this.cancelTimer?.()
    this.cancelTimer = this.o.scheduler.after(next + this.o.holdBackMs - now, () => {
      this.cancelTimer = undefined
      this.wake('timer')
    })
  }

  private setConnection(connection: Connection): void {
    const changed = connection.state !== this.connection
    this.connection = connection.state
    if (changed || connection.state === 'online') this.o.onConnection(connection)
  }
}

/** The superseded punch as it went out; a row that cannot be carried any more is left out. */
function sentForm(row: QueuedPunch): OutgoingPunch['punch'] | undefined {
  try {
    return toCrmPunch(row)
  } catch {
    return undefined
  }
}

/** The outcomes, checked to be exactly one per punch sent: anything else settles nothing. */
function answeredFor(punches: readonly OutgoingPunch[], outcomes: UploadOutcome[]) {
  const sent = new Set(punches.map((p) => p.punch.id))
  const seen = new Set<string>()
  for (const outcome of outcomes) {
    if (!sent.has(outcome.id) || seen.has(outcome.id)) {
      throw new CrmError('malformed', `an answer names punch ${outcome.id}, not sent or twice`)
    }
    seen.add(outcome.id)
  }
  if (seen.size !== sent.size) {
    throw new CrmError('malformed', `${sent.size - seen.size} punches were sent but not answered`)
  }
  return outcomes
}
