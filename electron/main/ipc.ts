/**
 * Carries the contract's operations over Electron IPC: one handler per channel, generated from
 * the contract; the sender is checked here, the payload by core's gate. Each page the window
 * loads is one caller, so admin mode opened by a page ends with it (reload, renderer crash).
 */
import { randomUUID } from 'node:crypto'
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { Caller } from '../core/gate'
import { operations } from '../shared/contract'
import { ErrorCode, type Envelope } from '../shared/errors'
import type { Kiosk } from '../core/kiosk'
import type { Logger } from '../core/logger'
import type { AppUrl } from './app-url'

/** Registers every operation's handler and forwards core's pushes; returns the teardown. */
export function setupIpc(
  win: BrowserWindow,
  appUrl: AppUrl,
  kiosk: Pick<Kiosk, 'gate' | 'subscribe'>,
  log: Logger,
): () => void {
  const channels = Object.values(operations).map((operation) => operation.channel)
  let caller = screenCaller()
  const newPage = () => {
    caller = screenCaller()
  }
  const contents = win.webContents
  contents.on('did-navigate', newPage)
  contents.on('render-process-gone', newPage)
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<Envelope<unknown>> => {
      if (!isKioskScreen(event, win, appUrl)) {
        log.warn(`ipc: refused ${channel} from ${describeSender(event)}`)
        return failure(ErrorCode.ForbiddenSender, 'Calls are accepted only from the kiosk screen.')
      }
      try {
        return await kiosk.gate(channel, payload, caller)
      } catch (error) {
        // The gate answers envelopes; this only keeps a broken promise from reaching the screen
        // as a bare Error without a code.
        log.error(`ipc: ${channel} failed`, error)
        return failure(ErrorCode.Internal, 'Something went wrong inside the kiosk.')
      }
    })
  }
  const unsubscribe = kiosk.subscribe((channel, payload) => {
    if (!win.isDestroyed()) win.webContents.send(channel, payload)
  })
  win.once('closed', unsubscribe)
  return () => {
    unsubscribe()
    contents.off('did-navigate', newPage)
    contents.off('render-process-gone', newPage)
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}

function screenCaller(): Caller {
  return { id: `window:${randomUUID()}` }
}

/**
 * Only the top frame of the kiosk window, showing the app's own page, may call main: an iframe,
 * another window or a page navigated elsewhere is refused before anything runs.
 */
function isKioskScreen(event: IpcMainInvokeEvent, win: BrowserWindow, appUrl: AppUrl): boolean {
  if (win.isDestroyed() || event.sender !== win.webContents) return false
  const frame = event.senderFrame
  if (!frame || frame.detached || frame.parent !== null) return false
  return appUrl.owns(frame.url)
}

function describeSender(event: IpcMainInvokeEvent): string {
  const frame = event.senderFrame
  if (!frame) return 'a frame that is gone'
  const where = frame.parent === null ? 'top frame' : 'subframe'
  try {
    const url = new URL(frame.url)
    return `${where} ${url.origin === 'null' ? url.protocol : url.origin}`
  } catch {
    return `${where} with an unparsable URL`
  }
}

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } }
}
