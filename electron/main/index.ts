/** Clockface's main process: lifecycle and the setup of each OS concern, in order. */
import { fileURLToPath } from 'node:url'
import { app, session, type BrowserWindow } from 'electron'
import { consoleLogger } from '../core/logger'
import { registerAppScheme, serveRenderer } from './app-protocol'
import { resolveAppUrl } from './app-url'
import { setupIpc } from './ipc'
import { builtFiles } from './paths'
import { setupPower, setupWakeHints } from './power'
import { setupRecovery } from './recovery'
import { setupSecurity } from './security'
import { setupShutdown } from './shutdown'
import { claimSingleInstance } from './single-instance'
import { explainStartupFailure, startKiosk } from './startup'
import { createKioskWindow } from './window'

const log = consoleLogger()
const files = builtFiles(fileURLToPath(new URL('.', import.meta.url)))
let kioskWindow: BrowserWindow | null = null

// Before anything touches userData: the name decides its folder and the single-instance lock.
app.setName('Clockface')
// Every renderer sandboxed, whatever a window's own options say.
app.enableSandbox()
// The page's scheme must be known before ready; it is served once ready (start below).
registerAppScheme()
// No app.setLoginItemSettings here: starting at login is IT's decision at install time
// (a machine-wide Run key, policy or service), and this call would write a per-user entry on
// every launch, overriding what IT set and following whoever happens to log in.

if (!claimSingleInstance(() => kioskWindow)) {
  app.quit()
} else {
  app.on('window-all-closed', () => app.quit())
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => explainStartupFailure(error, log))
}

async function start(): Promise<void> {
  const kiosk = await startKiosk({ workerPath: files.snapshotWorker, log })
  setupShutdown(kiosk, log)
  setupPower(log)
  setupWakeHints(kiosk.sync)
  // The dev server is honoured only in development: in an installed kiosk an environment variable
  // must not be able to swap in a page that would then be trusted with IPC and the camera.
  const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  if (!devServer) serveRenderer(files.renderer)
  const appUrl = resolveAppUrl(devServer)
  setupSecurity(session.defaultSession, appUrl, log)
  kioskWindow = createKioskWindow({ preload: files.preload })
  setupIpc(kioskWindow, appUrl, kiosk, log)
  setupRecovery(kioskWindow, log)
  await kioskWindow.loadURL(appUrl.entry)
}
