/**
 * A small fake of the parts of `electron` that main and the preload use. The vitest "node"
 * project aliases `electron` to this file; every call is recorded for tests to assert on.
 */
import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions } from 'electron'
import { vi } from 'vitest'

/** An Electron-style event whose default can be prevented. */
export function fakeEvent<T extends object>(fields: T = {} as T) {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault: vi.fn(() => {
      event.defaultPrevented = true
    }),
  }
  return event
}

export class FakeFrame {
  detached = false
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

class FakeSession {
  requestHandler: ((...args: unknown[]) => void) | null = null
  checkHandler: ((...args: unknown[]) => boolean) | null = null
  setPermissionRequestHandler = vi.fn((handler: FakeSession['requestHandler']) => {
    this.requestHandler = handler
  })
  setPermissionCheckHandler = vi.fn((handler: FakeSession['checkHandler']) => {
    this.checkHandler = handler
  })
}

export const session = { defaultSession: new FakeSession() }

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('')
  session = session.defaultSession
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  sent: Array<[string, unknown]> = []
  setWindowOpenHandler = vi.fn((handler: FakeWebContents['windowOpenHandler']) => {
    this.windowOpenHandler = handler
  })
  send = vi.fn((channel: string, payload: unknown) => {
    this.sent.push([channel, payload])
  })
  loadURL = vi.fn(async (url: string) => {
    this.mainFrame.url = url
  })
  reload = vi.fn()
  forcefullyCrashRenderer = vi.fn()
  getURL = () => this.mainFrame.url
  isDestroyed = () => false
}

class FakeApp extends EventEmitter {
  name = 'Electron'
  isPackaged = false
  /** Set once whenReady resolves; some modules may be used only before, some only after. */
  ready = false
  /** What requestSingleInstanceLock answers; tests set false to play the second instance. */
  lockAvailable = true
  setName = vi.fn((name: string) => {
    this.name = name
  })
  getName = () => this.name
  getVersion = () => '0.0.0-test'
  requestSingleInstanceLock = vi.fn(() => this.lockAvailable)
  whenReady = vi.fn(() =>
    Promise.resolve().then(() => {
      this.ready = true
    }),
  )
  enableSandbox = vi.fn()
  setLoginItemSettings = vi.fn()
  quit = vi.fn()
  exit = vi.fn()
}

export const app = new FakeApp()

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = []
  webContents = new FakeWebContents()
  destroyed = false
  minimized = false
  show = vi.fn()
  focus = vi.fn()
  restore = vi.fn(() => {
    this.minimized = false
  })
  removeMenu = vi.fn()
  loadURL = vi.fn((url: string) => this.webContents.loadURL(url))

  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super()
    BrowserWindow.instances.push(this)
    // Electron announces every new web contents on app, the window's included.
    app.emit('web-contents-created', fakeEvent(), this.webContents)
  }

  isDestroyed = () => this.destroyed
  isMinimized = () => this.minimized
  close() {
    this.destroyed = true
    this.emit('closed')
  }
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>

/** Custom schemes: declared before ready, handled after, as Electron insists. */
export const protocol = {
  privileged: [] as Electron.CustomScheme[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged: vi.fn((schemes: Electron.CustomScheme[]) => {
    if (app.ready) {
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
    }
    protocol.privileged.push(...schemes)
  }),
  handle: vi.fn((scheme: string, handler: ProtocolHandler) => {
    if (!app.ready) throw new Error('protocol.handle may be called only after the app is ready')
    if (protocol.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`)
    protocol.handlers.set(scheme, handler)
  }),
  unhandle: vi.fn((scheme: string) => {
    protocol.handlers.delete(scheme)
  }),
  isProtocolHandled: (scheme: string) => protocol.handlers.has(scheme),
}

export const Menu = { setApplicationMenu: vi.fn() }

export const dialog = { showErrorBox: vi.fn() }

export const powerSaveBlocker = {
  started: new Set<number>(),
  start: vi.fn((type: string) => {
    void type
    const id = powerSaveBlocker.started.size + 1
    powerSaveBlocker.started.add(id)
    return id
  }),
  stop: vi.fn((id: number) => powerSaveBlocker.started.delete(id)),
  isStarted: (id: number) => powerSaveBlocker.started.has(id),
}

/** The OS key store; a reversible stand-in so sealing round-trips in tests. */
export const safeStorage = {
  available: true,
  isEncryptionAvailable: () => safeStorage.available,
  encryptString: vi.fn((text: string) => Buffer.from(`sealed:${text}`)),
  decryptString: vi.fn((sealed: Buffer) => sealed.toString().replace(/^sealed:/, '')),
}

/** Power and session events (resume from sleep, screen unlocked); tests emit them. */
export const powerMonitor = new EventEmitter()

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle: vi.fn((channel: string, handler: InvokeHandler) => {
    // Electron throws on a second handler for a channel; so does the fake.
    if (ipcMain.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    }
    ipcMain.handlers.set(channel, handler)
  }),
  removeHandler: vi.fn((channel: string) => {
    ipcMain.handlers.delete(channel)
  }),
  /** Plays a renderer's `ipcRenderer.invoke` arriving from `sender` / `senderFrame`. */
  async invoke(
    channel: string,
    from: { sender: unknown; senderFrame: FakeFrame | null },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = ipcMain.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler({ ...from, processId: 1, frameId: 1, type: 'frame' }, ...args)
  },
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    contextBridge.exposed.set(key, api)
  }),
}

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (channel: string, payload: unknown) => ({
    ok: true,
    value: { channel, payload },
  }))
}

export const ipcRenderer = new FakeIpcRenderer()

/** Puts every fake back as it was at load: no handlers, windows, listeners or recorded calls. */
export function resetElectronStub(): void {
  vi.clearAllMocks()
  app.removeAllListeners()
  app.name = 'Electron'
  app.isPackaged = false
  app.ready = false
  app.lockAvailable = true
  protocol.privileged.length = 0
  protocol.handlers.clear()
  BrowserWindow.instances.length = 0
  ipcMain.handlers.clear()
  ipcRenderer.removeAllListeners()
  contextBridge.exposed.clear()
  powerSaveBlocker.started.clear()
  powerMonitor.removeAllListeners()
  session.defaultSession.requestHandler = null
  session.defaultSession.checkHandler = null
}
