/**
 * What DingTalk, WeCom and Feishu share: an access token issued from an app's key and secret,
 * kept in memory only, renewed before it expires and once more when the system calls it invalid,
 * and a ledger of what was sent, so a replay creates nothing twice.
 */
import type { UploadOutcome } from './connector'
import { CrmError } from './http'

/** Small durable key/value state (the connector context's `state`). */
export interface DurableState {
  get(key: string): string | undefined
  set(key: string, value: string): void
}

/** What the three platforms' connectors take of the connector context. */
export interface PlatformContext {
  siteId: string
  timeZone: string
  deviceId: string
  timeoutMs: number
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
  state: DurableState
}

/** A key the config rules require for this kind; its absence here is a programming error. */
export function required<T>(value: T | null | undefined, key: string): T {
  if (value === null || value === undefined) throw new TypeError(`"crm.${key}" is not set`)
  return value
}

/** A token as the system issued it. */
export interface IssuedToken {
  token: string
  /** Seconds it stays valid from now (the system's `expires_in` / `expire`). */
  expiresInSeconds: number
}

/** Thrown inside `AccessToken.use` when the system says the token is invalid or expired. */
export class TokenRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TokenRefused'
  }
}

// Renew this long before the system's expiry, so a call never races the deadline.
const RENEW_BEFORE_MS = 5 * 60 * 1000

/** One system's access token; never logged, never part of a message. */
export class AccessToken {
  private current: { token: string; renewAtMs: number } | undefined
  private issuing: Promise<string> | undefined

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token in hand while it is fresh, else a newly issued one. */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.renewAtMs) return this.current.token
    return this.renew()
  }

  /** Asks the system for a token now (also how health proves the network and credentials). */
  renew(): Promise<string> {
    this.issuing ??= this.issue()
      .then(({ token, expiresInSeconds }) => {
        const lifeMs = Math.max(0, expiresInSeconds) * 1000
        this.current = {
          token,
          renewAtMs: this.now() + lifeMs - Math.min(RENEW_BEFORE_MS, lifeMs / 2),
        }
        return token
      })
      .finally(() => {
        this.issuing = undefined
      })
    return this.issuing
  }

  /** The token for secret-scrubbing of replies; undefined when none is held. */
  held(): string | undefined {
    return this.current?.token
  }

  /**
   * Runs `call` with the token. When the system refuses the token (`TokenRefused`), the token is
   * renewed and `call` runs once more; a second refusal is `unauthorised`.
   */
  async use<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get()
    try {
      return await call(token)
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error
      if (this.current?.token === token) this.current = undefined
    }
    const fresh = await this.renew()
    try {
      return await call(fresh)
    } catch (error) {
      if (error instanceof TokenRefused) throw new CrmError('unauthorised', error.message)
      throw error
    }
  }
}

// Bounded: the outbox settles a batch right after its answers, so only the last few batches
// can ever come back; old entries fall off.
const MAX_LEDGER = 1000

/** `sent`: on its way, answer not heard; `done`: the system holds it. */
export type SendState = 'sent' | 'done'

/**
 * What this kiosk sent to a system without an idempotency key: a punch the system confirmed
 * comes back (the outbox lost the answer) as done without a call; one whose answer was never
 * heard (a lost reply, a timeout, a kill -9) is looked up before it is sent again. Durable in
 * the connector's state, one write before and one after each batch.
 */
export class SendLedger {
  constructor(
    private readonly state: DurableState,
    private readonly key = 'sends',
  ) {}

  /** Each punch id's state. */
  read(): Map<string, SendState> {
    const text = this.state.get(this.key)
    const out = new Map<string, SendState>()
    if (!text) return out
    try {
      const entries = JSON.parse(text) as unknown
      if (!Array.isArray(entries)) return out
      for (const e of entries) {
        if (Array.isArray(e) && typeof e[0] === 'string' && (e[1] === 'sent' || e[1] === 'done')) {
          out.set(e[0], e[1])
        }
      }
    } catch {
      // A damaged entry only costs look-ups: everything is then treated as never sent.
    }
    return out
  }

  /** Applies the changes (undefined forgets an id) in one write. */
  record(changes: Iterable<[string, SendState | undefined]>): void {
    const ledger = this.read()
    const before = JSON.stringify([...ledger])
    for (const [id, state] of changes) {
      ledger.delete(id)
      if (state) ledger.set(id, state)
    }
    const after = JSON.stringify([...ledger].slice(-MAX_LEDGER))
    if (after !== before) this.state.set(this.key, after)
  }
}

/**
 * The ledger after a batch: confirmed punches are done, refused ones forgotten, those whose
 * answer went unheard stay sent, and any the batch never reached keep their state.
 */
export function settledSends(
  before: ReadonlyMap<string, SendState>,
  outcomes: readonly UploadOutcome[],
  unheard: ReadonlySet<string>,
): [string, SendState | undefined][] {
  return outcomes.map(({ id, status }) => [
    id,
    status === 'created' || status === 'duplicate'
      ? 'done'
      : status === 'rejected'
        ? undefined
        : unheard.has(id)
          ? 'sent'
          : before.get(id),
  ])
}
