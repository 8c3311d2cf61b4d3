import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Kiosk, OpenKioskOptions } from '../../electron/core/kiosk'
import { operations } from '../../electron/shared/contract'

// The real core is tested on its own; here main's wiring gets a fake kiosk.
vi.mock('../../electron/core/kiosk', () => ({ openKiosk: vi.fn() }))

type Stub = typeof import('./electron-stub')

let dir: string
let configPath: string

function fakeKiosk() {
  const listeners = new Set<(channel: string, payload: unknown) => void>()
  return {
    gate: vi.fn(async () => ({ ok: true as const, value: 'from core' })),
    subscribe(listener: (channel: string, payload: unknown) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    push: (channel: string, payload: unknown) => listeners.forEach((l) => l(channel, payload)),
    close: vi.fn(async () => {}),
    sync: { networkHint: vi.fn() },
  }
}

/** Starts main afresh, as `electron .` would, against a fresh stub. */
async function launch(
  options: { anotherInstanceRuns?: boolean; coreFails?: Error; packaged?: boolean } = {},
) {
  vi.resetModules()
  const stub: Stub = await import('./electron-stub')
  stub.resetElectronStub()
  stub.app.lockAvailable = !options.anotherInstanceRuns
  stub.app.isPackaged = options.packaged ?? false
  const kiosk = fakeKiosk()
  const { openKiosk } = await import('../../electron/core/kiosk')
  const open = vi.mocked(openKiosk)
  open.mockReset()
  if (options.coreFails) open.mockRejectedValue(options.coreFails)
  else open.mockResolvedValue(kiosk as unknown as Kiosk)
  await import('../../electron/main/index')
  return { stub, kiosk, open }
}

async function launched(options: Parameters<typeof launch>[0] = {}) {
  const started = await launch(options)
  await vi.waitFor(() =>
    expect(started.stub.BrowserWindow.instances[0]?.loadURL).toHaveBeenCalled(),
  )
  const win = started.stub.BrowserWindow.instances[0]!
  return { ...started, win }
}

beforeEach(() => {
  // main logs to stderr through core's console logger; keep test output readable.
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  dir = mkdtempSync(join(tmpdir(), 'clockface-main-'))
  configPath = join(dir, 'config.json')
  writeFileSync(configPath, JSON.stringify({ site: { id: 'hq', name: 'Head office' } }))
  vi.stubEnv('CLOCKFACE_CONFIG', configPath)
  vi.stubEnv('CLOCKFACE_DATA_DIR', join(dir, 'data'))
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined)
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
  rmSync(dir, { recursive: true, force: true })
})

describe('main lifecycle', () => {
  it('names the app Clockface and sandboxes every renderer before it is ready', async () => {
    const { stub } = await launched()
    expect(stub.app.setName).toHaveBeenCalledWith('Clockface')
    expect(stub.app.enableSandbox).toHaveBeenCalled()
    expect(stub.app.setLoginItemSettings).not.toHaveBeenCalled()
  })

  it('opens the kiosk core from the machine config, with the built worker and clocks', async () => {
    const { open } = await launched()
    const options = open.mock.calls[0]?.[0] as OpenKioskOptions
    expect(options.loaded).toMatchObject({ path: configPath, fromFile: true })
    expect(options.loaded.config.site.name).toBe('Head office')
    expect(options.workerPath).toMatch(/[\\/]snapshot-worker\.js$/)
    expect(options.platform?.bootId).toMatch(/^[0-9a-f-]{36}$/)
    expect(typeof options.platform?.monotonic?.()).toBe('number')
  })

  it('loads the built renderer page in a kiosk window with the built preload', async () => {
    const { win } = await launched()
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true })
    expect(win.options.webPreferences?.preload).toMatch(/[\\/]preload[\\/]index\.cjs$/)
    expect(win.loadURL).toHaveBeenCalledWith('app://clockface/index.html')
  })

  it('declares the app:// scheme before ready and serves it once ready', async () => {
    const { stub } = await launched()
    // The stub throws, as Electron does, when a scheme is declared after ready.
    expect(stub.protocol.privileged.map((scheme) => scheme.scheme)).toEqual(['app'])
    expect(stub.protocol.isProtocolHandled('app')).toBe(true)
  })

  it('loads the dev server when electron-vite dev names one', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    const { win } = await launched()
    expect(win.loadURL).toHaveBeenCalledWith('http://localhost:5173')
  })

  it('answers IPC only from the app:// page, not from the old file:// page', async () => {
    const { stub, kiosk, win } = await launched()
    const frame = win.webContents.mainFrame
    const from = { sender: win.webContents, senderFrame: frame }
    frame.url = 'file:///opt/clockface/out/renderer/index.html'
    expect(await stub.ipcMain.invoke('config:info', from, null)).toMatchObject({
      error: { code: 'FORBIDDEN_SENDER' },
    })
    frame.url = 'app://clockface/index.html#/admin'
    expect(await stub.ipcMain.invoke('config:info', from, null)).toMatchObject({ ok: true })
    expect(kiosk.gate).toHaveBeenCalledOnce()
  })

  it('ignores a dev server URL in an installed kiosk', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'https://evil.example')
    const { win } = await launched({ packaged: true })
    expect(win.loadURL).toHaveBeenCalledWith('app://clockface/index.html')
  })

  it('wires every operation from the screen through to core, and pushes back', async () => {
    const { stub, kiosk, win } = await launched()
    expect(stub.ipcMain.handlers.size).toBe(Object.keys(operations).length)
    const fromScreen = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
    expect(await stub.ipcMain.invoke('config:info', fromScreen, null)).toEqual({
      ok: true,
      value: 'from core',
    })
    kiosk.push('sync:status-changed', { pending: 1 })
    expect(win.webContents.sent).toEqual([['sync:status-changed', { pending: 1 }]])
  })

  it('keeps the display awake and sets the permission policy', async () => {
    const { stub } = await launched()
    expect(stub.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep')
    expect(stub.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled()
    expect(stub.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled()
  })

  it('tells sync to try the CRM now when the machine wakes or the screen unlocks', async () => {
    const { stub, kiosk } = await launched()
    expect(kiosk.sync.networkHint).not.toHaveBeenCalled()
    stub.powerMonitor.emit('resume')
    stub.powerMonitor.emit('unlock-screen')
    expect(kiosk.sync.networkHint).toHaveBeenCalledTimes(2)
  })

  it('reloads the screen when its renderer crashes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { win, stub } = await launched()
      win.webContents.emit('render-process-gone', stub.fakeEvent(), {
        reason: 'crashed',
        exitCode: 1,
      })
      vi.advanceTimersByTime(60_000)
      expect(win.webContents.reload).toHaveBeenCalledOnce()
    } finally {
      vi.useRealTimers()
    }
  })

  it('closes the kiosk core before the process exits', async () => {
    const { stub, kiosk } = await launched()
    const quitting = stub.fakeEvent()
    stub.app.emit('will-quit', quitting)
    expect(quitting.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(stub.app.quit).toHaveBeenCalled())
    expect(kiosk.close).toHaveBeenCalledOnce()
    const again = stub.fakeEvent()
    stub.app.emit('will-quit', again)
    expect(again.preventDefault).not.toHaveBeenCalled()
  })

  it('quits all windows closed', async () => {
    const { stub } = await launched()
    stub.app.emit('window-all-closed')
    expect(stub.app.quit).toHaveBeenCalled()
  })
})

describe('single instance', () => {
  it('quits at once when another Clockface already runs', async () => {
    const { stub, open } = await launch({ anotherInstanceRuns: true })
    expect(stub.app.quit).toHaveBeenCalled()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(stub.app.whenReady).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
    expect(stub.BrowserWindow.instances).toHaveLength(0)
  })

  it('brings the kiosk window back when a second launch is attempted', async () => {
    const { stub, win } = await launched()
    win.minimized = true
    stub.app.emit('second-instance', stub.fakeEvent(), [], dir, {})
    expect(win.restore).toHaveBeenCalled()
    expect(win.focus).toHaveBeenCalled()
  })
})

describe('startup failure', () => {
  it('explains a bad config file in a dialog that names the problem, then exits', async () => {
    writeFileSync(configPath, JSON.stringify({ crm: { url: 'not a url' } }))
    const { stub, open } = await launch()
    await vi.waitFor(() => expect(stub.app.exit).toHaveBeenCalledWith(1))
    const [title, message] = stub.dialog.showErrorBox.mock.calls[0] ?? []
    expect(title).toBe('Clockface cannot start')
    expect(message).toContain('"crm.url"')
    expect(message).toContain(configPath)
    expect(open).not.toHaveBeenCalled()
    expect(stub.BrowserWindow.instances).toHaveLength(0)
  })

  it('explains a config file that is not JSON', async () => {
    writeFileSync(configPath, '{ site: ')
    const { stub } = await launch()
    await vi.waitFor(() => expect(stub.app.exit).toHaveBeenCalledWith(1))
    expect(stub.dialog.showErrorBox.mock.calls[0]?.[1]).toContain('is not valid JSON')
  })

  it('explains a kiosk core that cannot open, then exits', async () => {
    const { stub } = await launch({ coreFails: new Error('cannot write /var/lib/clockface') })
    await vi.waitFor(() => expect(stub.app.exit).toHaveBeenCalledWith(1))
    expect(stub.dialog.showErrorBox.mock.calls[0]?.[1]).toContain('cannot write /var/lib/clockface')
    expect(stub.BrowserWindow.instances).toHaveLength(0)
  })
})
