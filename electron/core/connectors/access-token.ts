/**
 * What DingTalk, WeCom and Feishu share: an access token issued from an app's key and secret,
 * kept in memory only, renewed before it expires and once more when the system calls it invalid,
 * and a list of punches sent without an answer heard, so a replay of one looks before it writes.
 */
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

// Bounded so punches that left by another way (a dead letter after a split) cannot pile up.
const MAX_UNANSWERED = 2000

/**
 * Punch ids sent to a system without an idempotency key whose answer was never heard (a lost
 * reply, a timeout, a kill -9). Durable in the connector's state: one write per batch.
 */
export class UnansweredSends {
  constructor(
    private readonly state: DurableState,
    private readonly key = 'unanswered',
  ) {}

  /** The ids currently marked. */
  ids(): Set<string> {
    const text = this.state.get(this.key)
    if (!text) return new Set()
    try {
      const ids = JSON.parse(text) as unknown
      return new Set(Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [])
    } catch {
      return new Set()
    }
  }

  /** Marks `add` as on their way and unmarks `remove` (answered), in one write. */
  update(add: Iterable<string>, remove: Iterable<string> = []): void {
    const ids = this.ids()
    const before = JSON.stringify([...ids])
    for (const id of remove) ids.delete(id)
    for (const id of add) ids.add(id)
    const list = [...ids].slice(-MAX_UNANSWERED)
    const after = JSON.stringify(list)
    if (after !== before) this.state.set(this.key, after)
  }
}
