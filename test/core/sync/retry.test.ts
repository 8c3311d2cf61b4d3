import { describe, expect, it } from 'vitest'
import { CrmError } from '../../../electron/core/sync/crm-client'
import {
  Backoff,
  backoffDelay,
  maxRetryAfterMs,
  retryDelay,
} from '../../../electron/core/sync/retry'

const policy = { baseMs: 1000, capMs: 300_000 }

describe('retry schedule', () => {
  it('doubles the ceiling per failure up to the cap', () => {
    const top = (failures: number) => backoffDelay(failures, policy, () => 0.999999)
    expect([1, 2, 3, 4, 5].map(top)).toEqual([999, 1999, 3999, 7999, 15999])
    expect(top(9)).toBe(255_999)
    expect(top(10)).toBe(299_999)
    expect(top(500)).toBe(299_999)
  })

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelay(4, policy, () => 0)).toBe(0)
    expect(backoffDelay(4, policy, () => 0.5)).toBe(4000)
    const draws = Array.from({ length: 2000 }, () => backoffDelay(3, policy))
    expect(Math.max(...draws)).toBeLessThan(4000)
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    const mean = draws.reduce((a, b) => a + b) / draws.length
    expect(mean).toBeGreaterThan(1700)
    expect(mean).toBeLessThan(2300)
  })

  it("honours the server's Retry-After, clamped to an hour", () => {
    expect(retryDelay(1, policy, 30_000, () => 0)).toBe(30_000)
    expect(retryDelay(1, policy, 0, () => 0.9)).toBe(0)
    expect(retryDelay(1, policy, 10 * 24 * 3600_000)).toBe(maxRetryAfterMs)
    expect(retryDelay(2, policy, undefined, () => 0.5)).toBe(1000)
    expect(retryDelay(2, policy, Number.NaN, () => 0.5)).toBe(1000)
  })

  it('counts failures in a row: 401 checks back at the cap, Retry-After wins, success resets', () => {
    const backoff = new Backoff(policy, () => 0.999999)
    const failure = (kind: CrmError['kind'], retryAfterMs?: number) =>
      backoff.failed(new CrmError(kind, 'no', { retryAfterMs }))
    expect([failure('server'), failure('network'), failure('malformed')]).toEqual([999, 1999, 3999])
    expect(failure('unavailable', 7000)).toBe(7000)
    expect(failure('unauthorised')).toBe(300_000)
    expect(backoff.failed(new Error('the CRM repeated its roster cursor'))).toBe(31_999)
    expect(backoff.failures).toBe(6)
    backoff.succeeded()
    expect(backoff.failures).toBe(0)
    expect(failure('server')).toBe(999)
  })
})
