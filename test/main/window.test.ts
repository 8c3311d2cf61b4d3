import { beforeEach, describe, expect, it } from 'vitest'
import { createKioskWindow } from '../../electron/main/window'
import { builtFiles } from '../../electron/main/paths'
import { BrowserWindow, Menu, app, resetElectronStub } from './electron-stub'

beforeEach(resetElectronStub)

describe('createKioskWindow', () => {
  it('opens a full-screen kiosk window with no menu', () => {
    createKioskWindow({ preload: '/opt/clockface/out/preload/index.cjs' })
    const [win] = BrowserWindow.instances
    expect(win?.options).toMatchObject({ kiosk: true, fullscreen: true, show: false })
    expect(win?.options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i)
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(null)
    expect(win?.removeMenu).toHaveBeenCalled()
  })

  it('isolates and sandboxes the screen, with the built preload and no Node', () => {
    createKioskWindow({ preload: '/opt/clockface/out/preload/index.cjs' })
    expect(BrowserWindow.instances[0]?.options.webPreferences).toMatchObject({
      preload: '/opt/clockface/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      spellcheck: false,
    })
  })

  it('keeps dev tools out of a packaged kiosk', () => {
    app.isPackaged = true
    createKioskWindow({ preload: '/p.cjs' })
    expect(BrowserWindow.instances[0]?.options.webPreferences?.devTools).toBe(false)
  })

  it('shows the window only once its first frame is ready', () => {
    createKioskWindow({ preload: '/p.cjs' })
    const win = BrowserWindow.instances[0]!
    expect(win.show).not.toHaveBeenCalled()
    win.emit('ready-to-show')
    expect(win.show).toHaveBeenCalledOnce()
  })
})

describe('builtFiles', () => {
  it('finds the CommonJS preload and the renderer beside out/main', () => {
    const files = builtFiles('/opt/clockface/out/main')
    expect(files.preload).toBe('/opt/clockface/out/preload/index.cjs')
    expect(files.renderer).toBe('/opt/clockface/out/renderer')
    expect(files.snapshotWorker).toBe('/opt/clockface/out/main/snapshot-worker.js')
  })

  it('points the snapshot worker at the unpacked copy in a packaged app', () => {
    const files = builtFiles('/opt/Clockface/resources/app.asar/out/main')
    expect(files.snapshotWorker).toBe(
      '/opt/Clockface/resources/app.asar.unpacked/out/main/snapshot-worker.js',
    )
    // Everything else is read by Electron itself, which reads inside asar.
    expect(files.preload).toBe('/opt/Clockface/resources/app.asar/out/preload/index.cjs')
  })
})
