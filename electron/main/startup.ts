/** Opens the kiosk core from the machine's config; explains a failed start on screen. */
import { app, dialog } from 'electron'
import { ConfigError, loadConfig } from '../core/config/config'
import { openKiosk, type Kiosk } from '../core/kiosk'
import type { Logger } from '../core/logger'
import { electronKeySealer, electronPlatform } from './platform'

/** Reads the machine-wide config and opens store and services; ConfigError on a bad file. */
export async function startKiosk(options: { workerPath: string; log: Logger }): Promise<Kiosk> {
  const loaded = loadConfig(process.env)
  options.log.info(
    loaded.fromFile
      ? `config: ${loaded.path}; data in ${loaded.dataDir}`
      : `config: no file at ${loaded.path}, defaults in use; data in ${loaded.dataDir}`,
  )
  return openKiosk({
    loaded,
    platform: electronPlatform(),
    keySealer: electronKeySealer(),
    log: options.log,
    workerPath: options.workerPath,
    version: app.getVersion(),
  })
}

/** Shows why the kiosk cannot start (a modal box IT can read on site) and exits with code 1. */
export function explainStartupFailure(error: unknown, log: Logger): void {
  log.error('startup failed', error)
  const message =
    error instanceof ConfigError
      ? `${error.message}\n\nCorrect the config file, then start Clockface again.`
      : `${error instanceof Error ? error.message : String(error)}\n\nSee the log for details.`
  dialog.showErrorBox('Clockface cannot start', message)
  // exit, not quit: nothing is open yet that would need a clean close, and a non-zero code tells
  // whatever launched the kiosk that it failed.
  app.exit(1)
}
