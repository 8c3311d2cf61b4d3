/** Keeps the kiosk's display awake: staff must see the screen the moment they walk up. */
import { powerSaveBlocker } from 'electron'
import type { Logger } from '../core/logger'

/** Blocks display sleep for the life of the process; returns the blocker id. */
export function setupPower(log: Logger): number {
  const id = powerSaveBlocker.start('prevent-display-sleep')
  if (!powerSaveBlocker.isStarted(id)) log.warn('power: could not keep the display awake')
  return id
}
