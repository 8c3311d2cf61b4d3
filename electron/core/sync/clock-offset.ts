/**
 * How far the kiosk's clock is from the CRM's, measured from every response's `Date` header.
 * The header has one-second resolution, so a single reading is good to about ±1 s plus half
 * the round trip; the median of recent readings smooths that out.
 */

/** Offsets beyond this mean the kiosk's clock is not to be trusted. */
export const trustedOffsetMs = 2 * 60_000
const keep = 9

export class ClockOffset {
  private readings: number[] = []

  /** Starts from the last offset measured before a restart, if any. */
  constructor(previous: number | null = null) {
    if (previous !== null && Number.isFinite(previous)) this.readings.push(previous)
  }

  /** Records server time minus kiosk time, from one exchange. */
  record(serverDateMs: number, sentMs: number, receivedMs: number): void {
    if (!Number.isFinite(serverDateMs) || receivedMs < sentMs) return
    // The server stamped somewhere inside the round trip; its header truncates to the second.
    const offset = serverDateMs + 500 - (sentMs + receivedMs) / 2
    this.readings.push(offset)
    if (this.readings.length > keep) this.readings.shift()
  }

  /** Server time minus kiosk time in ms, or null when never measured. */
  get offsetMs(): number | null {
    if (this.readings.length === 0) return null
    const sorted = [...this.readings].sort((a, b) => a - b)
    return Math.round(sorted[Math.floor(sorted.length / 2)]!)
  }

  /** False when the offset is unknown or more than two minutes. */
  get trusted(): boolean {
    const offset = this.offsetMs
    return offset !== null && Math.abs(offset) <= trustedOffsetMs
  }
}
