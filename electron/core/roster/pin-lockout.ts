/**
 * Counts PIN guesses per person (or for the admin PIN) and locks that PIN for a while after too
 * many. A guess is counted, durably, before its slow hash is checked, and counts as wrong until
 * it proves right: however many guesses arrive at once, at most `maxAttempts` are ever checked.
 * Counts and locks live in the store (`pin_lockouts`), so a restart, kill -9 included, keeps them.
 */
import type { Store } from '../store/types'

export type LockoutKind = 'staff' | 'admin'

/** What became of one guess. */
export type PinVerdict =
  | { kind: 'right' }
  | { kind: 'wrong'; attemptsLeft: number }
  /** Refused: `checked` is false when the PIN was not even looked at; `lockedNow` when this
   * guess was the one that locked it. */
  | { kind: 'locked'; lockedUntil: number; checked: boolean; lockedNow: boolean }

interface Entry {
  attempts: number
  lockedUntil: number
  /** Bumped when a right PIN clears the count, so a guess from before is counted again. */
  generation: number
}

export class PinLockout {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly store: Store,
    private readonly kind: LockoutKind,
    private readonly maxAttempts: number,
    private readonly lockoutMs: number,
  ) {
    const rows = store.all<{ subject: string; attempts: number; locked_until: number }>(
      'SELECT subject, attempts, locked_until FROM pin_lockouts WHERE kind = ?',
      [kind],
    )
    for (const row of rows) {
      this.entries.set(row.subject, {
        attempts: row.attempts,
        lockedUntil: row.locked_until,
        generation: 0,
      })
    }
  }

  /**
   * Counts a guess (synchronously, before anything is awaited), runs `check` only if the PIN
   * is not locked, and settles the count by its answer.
   */
  async guess(
    subject: string,
    now: () => number,
    check: () => Promise<boolean>,
  ): Promise<PinVerdict> {
    const entry = this.current(subject, now())
    if (entry.lockedUntil > now()) {
      return { kind: 'locked', lockedUntil: entry.lockedUntil, checked: false, lockedNow: false }
    }
    const generation = entry.generation
    let ordinal = this.count(subject, entry, now())
    if (await check()) {
      this.clear(subject, entry)
      return { kind: 'right' }
    }
    // A right PIN checked meanwhile cleared the count; this wrong guess still counts.
    if (entry.generation !== generation) ordinal = this.count(subject, entry, now())
    // Each guess answers as if the guesses had come one by one, in the order they were counted.
    if (ordinal < this.maxAttempts) {
      return { kind: 'wrong', attemptsLeft: this.maxAttempts - ordinal }
    }
    const lockedNow = ordinal === this.maxAttempts
    return { kind: 'locked', lockedUntil: entry.lockedUntil, checked: true, lockedNow }
  }

  /** The subject's entry, reset once an earlier lock has run out. */
  private current(subject: string, now: number): Entry {
    let entry = this.entries.get(subject)
    if (!entry) {
      entry = { attempts: 0, lockedUntil: 0, generation: 0 }
      this.entries.set(subject, entry)
    } else if (entry.lockedUntil > 0 && entry.lockedUntil <= now) {
      entry.attempts = 0
      entry.lockedUntil = 0
    }
    return entry
  }

  // The guess that uses up the last attempt locks at once; a right PIN among those still being
  // checked lifts it again.
  private count(subject: string, entry: Entry, now: number): number {
    entry.attempts++
    if (entry.attempts >= this.maxAttempts && entry.lockedUntil <= now) {
      entry.lockedUntil = now + this.lockoutMs
    }
    this.store.commit([
      [
        `INSERT INTO pin_lockouts (kind, subject, attempts, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, subject)
         DO UPDATE SET attempts = excluded.attempts, locked_until = excluded.locked_until`,
        [this.kind, subject, entry.attempts, entry.lockedUntil],
      ],
    ])
    return entry.attempts
  }

  private clear(subject: string, entry: Entry): void {
    entry.attempts = 0
    entry.lockedUntil = 0
    entry.generation++
    this.store.commit([
      ['DELETE FROM pin_lockouts WHERE kind = ? AND subject = ?', [this.kind, subject]],
    ])
  }
}
