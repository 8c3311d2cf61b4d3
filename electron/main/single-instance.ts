/** One kiosk per machine: a second launch (a double-click, a login item) focuses the first. */
import { app, type BrowserWindow } from 'electron'

/** Takes the single-instance lock; false means another Clockface runs and this one must quit. */
export function claimSingleInstance(kioskWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', () => {
    const win = kioskWindow()
    if (!win || win.isDestroyed()) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })
  return true
}
