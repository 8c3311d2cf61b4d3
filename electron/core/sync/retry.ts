/**
 * When to try the CRM again: capped exponential backoff with full jitter, and the server's
 * Retry-After honoured (but never trusted to park the kiosk for days).
 */

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
