/** Adapts the main process's clocks to the platform interface core expects. */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { KioskPlatform } from '../core/kiosk'

/** Wall clock from Date.now, monotonic clock from performance.now, a fresh id per launch. */
export function electronPlatform(): KioskPlatform {
  return {
    now: () => Date.now(),
    // performance.now is monotonic within this process, hence the bootId to compare readings.
    monotonic: () => performance.now(),
    bootId: randomUUID(),
  }
}
