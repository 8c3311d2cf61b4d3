/**
 * Counts wrong PINs per person and locks that person's PIN for a while after too many.
 * Kept in memory: a restart clears it, which is acceptable because restarting the kiosk is
 * not something a person at the door can do.
 */
export class PinLockout {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>()

  constructor(
    private readonly maxAttempts: number,
    private readonly lockoutMs: number,
  ) {}

  /** The instant the person's PIN is locked until, or undefined when it is not locked. */
  lockedUntil(employeeId: string, now: number): number | undefined {
    const entry = this.failures.get(employeeId)
    if (!entry || entry.lockedUntil <= now) {
      if (entry && entry.lockedUntil > 0) this.failures.delete(employeeId)
      return undefined
    }
    return entry.lockedUntil
  }

  /** Records a wrong PIN; returns attempts left, or 0 when this one locked the person out. */
  recordFailure(employeeId: string, now: number): number {
    const entry = this.failures.get(employeeId) ?? { count: 0, lockedUntil: 0 }
    entry.count++
    if (entry.count >= this.maxAttempts) entry.lockedUntil = now + this.lockoutMs
    this.failures.set(employeeId, entry)
    return Math.max(0, this.maxAttempts - entry.count)
  }

  /** A correct PIN clears the count. */
  recordSuccess(employeeId: string): void {
    this.failures.delete(employeeId)
  }
}
