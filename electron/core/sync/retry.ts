/**
 * When to try the CRM again: capped exponential backoff with full jitter, and the server's
 * Retry-After honoured (but never trusted to park the kiosk for days).
 */
import { CrmError } from './crm-client'

export interface RetryPolicy {
  /** First backoff ceiling, ms (about 1 s). */
  baseMs: number
  /** Largest backoff ceiling, ms (about 5 min). */
  capMs: number
}

/** A hostile or mistaken Retry-After is clamped to this. */
export const maxRetryAfterMs = 60 * 60_000

/**
 * Delay before the next try after `failures` consecutive failures (1 = the first failure):
 * uniform in [0, min(cap, base · 2^(failures-1))], so kiosks that lost the CRM together do not
 * come back together.
 */
export function backoffDelay(
  failures: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30)
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent)
  return Math.floor(random() * ceiling)
}

/** The delay to wait: the server's Retry-After when it gave one (clamped), else the backoff. */
export function retryDelay(
  failures: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, maxRetryAfterMs)
  }
  return backoffDelay(failures, policy, random)
}

/**
 * One kind of CRM request's failures in a row, and how long each says to wait: the one backoff
 * the upload queue and the roster sync share.
 */
export class Backoff {
  private count = 0

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Failures in a row since the last success. */
  get failures(): number {
    return this.count
  }

  /** The CRM answered: the next failure waits about `baseMs` again. */
  succeeded(): void {
    this.count = 0
  }

  /** Counts a failure and returns the wait before the next try, ms. */
  failed(error: unknown): number {
    this.count++
    const crm = error instanceof CrmError ? error : undefined
    // A refused device checks back slowly: IT may fix the token at the CRM without the kiosk.
    if (crm?.kind === 'unauthorised') return this.policy.capMs
    return retryDelay(this.count, this.policy, crm?.retryAfterMs, this.random)
  }
}
