/** Keeps the kiosk's display awake: staff must see the screen the moment they walk up. */
import { powerMonitor, powerSaveBlocker } from 'electron'
import type { Logger } from '../core/logger'

/** Blocks display sleep for the life of the process; returns the blocker id. */
export function setupPower(log: Logger): number {
  const id = powerSaveBlocker.start('prevent-display-sleep')
  if (!powerSaveBlocker.isStarted(id)) log.warn('power: could not keep the display awake')
  return id
}

/**
 * After sleep or a locked screen the network may be back: tell sync to try now. A hint only;
 * the next authenticated request decides whether the CRM is reachable.
 */
export function setupWakeHints(sync: { networkHint(): void }): void {
  for (const event of ['resume', 'unlock-screen'] as const) {
    powerMonitor.on(event as 'resume', () => sync.networkHint())
  }
}
