/** The OS services core runs on. Main adapts Electron's; the host, the CLI and tests use Node's. */
import { randomUUID } from 'node:crypto'

export interface KioskPlatform {
  /** Wall clock, ms since the epoch. */
  now(): number
  /** Monotonic clock, ms; never jumps when the wall clock is set. */
  monotonic(): number
  /** Identifies this run of the process; monotonic readings compare only within one. */
  bootId: string
}

/** Node's clocks; Electron main and tests override what they need. */
export function nodePlatform(overrides: Partial<KioskPlatform> = {}): KioskPlatform {
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    bootId: randomUUID(),
    ...overrides,
  }
}
