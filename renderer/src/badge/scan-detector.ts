/**
 * Tells a badge reader from a person at a keyboard. USB readers act as keyboards: they type the
 * badge number in one fast burst and end it with Enter. People type slower than the interval,
 * so their keystrokes never build up a burst. Framework-free and clock-injectable for tests.
 */

export interface ScanDetectorOptions {
  minLength: number
  maxLength: number
  /** Longest pause between two keystrokes of one scan, ms. */
  maxKeyIntervalMs: number
  /** Clock in ms used when a keystroke carries no timestamp; defaults to performance.now(). */
  now?: () => number
}

/** What a finished burst turned out to be. */
export type ScanResult =
  | { kind: 'badge'; badge: string }
  /** A reader burst that cannot be a badge: too short, too long or with control keys. */
  | { kind: 'unreadable' }

// Keys a reader may press between characters (Shift for capitals) without breaking a burst.
const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta'])
// Fewer characters than this before Enter is a stray key, not evidence of a reader, so even a
// configured minLength of 1 needs two characters to count as a scan.
const MIN_BURST = 2

export class ScanDetector {
  private buffer = ''
  private garbled = false
  private lastAt = Number.NEGATIVE_INFINITY
  private readonly now: () => number

  constructor(private options: ScanDetectorOptions) {
    this.now = options.now ?? (() => performance.now())
  }

  /** Changes lengths or interval (e.g. once KioskInfo arrives); clears any partial burst. */
  configure(options: Omit<ScanDetectorOptions, 'now'>): void {
    this.options = { ...options, now: this.now }
    this.reset()
  }

  /** Feeds one keydown (`KeyboardEvent.key`); returns a result only when Enter ends a burst. */
  press(key: string, at: number = this.now()): ScanResult | null {
    if (MODIFIERS.has(key)) return null
    if (at - this.lastAt > this.options.maxKeyIntervalMs) this.reset()
    this.lastAt = at

    if (key === 'Enter') {
      const result = this.finish()
      this.reset()
      return result
    }
    if (key.length === 1 && key >= ' ' && key !== '\u007f') {
      // Past maxLength the burst is unreadable whatever follows; stop growing the buffer.
      if (this.buffer.length <= this.options.maxLength) this.buffer += key
    } else if (this.buffer) {
      this.garbled = true
    } else {
      // A named key (arrow, Tab…) on its own starts nothing.
      this.lastAt = Number.NEGATIVE_INFINITY
    }
    return null
  }

  /** Forgets any partial burst. */
  reset(): void {
    this.buffer = ''
    this.garbled = false
    this.lastAt = Number.NEGATIVE_INFINITY
  }

  private finish(): ScanResult | null {
    const { minLength, maxLength } = this.options
    const length = this.buffer.length
    if (length < MIN_BURST) return null
    if (this.garbled || length < minLength || length > maxLength) return { kind: 'unreadable' }
    return { kind: 'badge', badge: this.buffer }
  }
}
