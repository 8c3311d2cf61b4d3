/** The one full-screen kiosk window. */
import { app, BrowserWindow, Menu } from 'electron'

/** Matches the screen's own background so no white flash shows before the first paint. */
export const KIOSK_BACKGROUND = '#0b1220'

/** Creates the kiosk window hidden; it shows itself once the first frame is ready. */
export function createKioskWindow(options: { preload: string }): BrowserWindow {
  // No application menu: its default accelerators (reload, dev tools, zoom) would let anyone
  // at the kiosk keyboard leave or break the screen.
  Menu.setApplicationMenu(null)
  const win = new BrowserWindow({
    title: 'Clockface',
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: KIOSK_BACKGROUND,
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  })
  win.removeMenu()
  win.once('ready-to-show', () => win.show())
  return win
}
