/**
 * Slows anyone trying badge numbers at the kiosk: after `limit` unknown badges within
 * `windowMs`, every badge scan is refused until the window has room again. Known badges are
 * refused too while it lasts, or the answer would still tell a guessed number from a real one;
 * the pause lasts at most one window, and PIN and face stay open meanwhile.
 */
import { ClockfaceError, ErrorCode } from '../../shared/errors'

export class UnknownBadgeLimit {
  /** Instants of the latest unknown badges, oldest first, at most `limit` of them. */
  private readonly unknown: number[] = []
  private burstAnnounced = false

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Called once when a burst starts being refused (for the audit). */
    private readonly onBurst: (at: number, retryAt: number) => void,
  ) {}

  /** Throws BADGE_RATE_LIMITED (with `retryAt`) while unknown badges have used up the window. */
  check(now: number): void {
    const retryAt = this.retryAt(now)
    if (retryAt === undefined) {
      this.burstAnnounced = false
      return
    }
    if (!this.burstAnnounced) {
      this.burstAnnounced = true
      this.onBurst(now, retryAt)
    }
    throw new ClockfaceError(
      ErrorCode.BadgeRateLimited,
      'Too many unknown badges; badges are paused for a moment.',
      { retryAt: new Date(retryAt).toISOString() },
    )
  }

  /** Counts a scan of a badge nobody here has. */
  recordUnknown(now: number): void {
    this.unknown.push(now)
    if (this.unknown.length > this.limit) this.unknown.shift()
  }

  private retryAt(now: number): number | undefined {
    if (this.unknown.length < this.limit) return undefined
    const until = this.unknown[0]! + this.windowMs
    return until > now ? until : undefined
  }
}
