/**
 * The bridge between the sandboxed kiosk screen and main: `window.clockface`, built from the
 * contract with one function per operation. The screen never sees ipcRenderer or IPC events.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildApi } from '../shared/contract'
import type { Envelope } from '../shared/errors'

const api = buildApi(
  (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<Envelope<unknown>>,
  (channel, listener) => {
    // The event object carries `sender` (ipcRenderer itself): only the payload may cross.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  },
)

contextBridge.exposeInMainWorld('clockface', api)
