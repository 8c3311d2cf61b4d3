import type { BrowserWindow } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveAppUrl } from '../../electron/main/app-url'
import { setupIpc } from '../../electron/main/ipc'
import { operations, events } from '../../electron/shared/contract'
import type { Envelope } from '../../electron/shared/errors'
import { silentLogger } from '../../electron/core/logger'
import { hashPin } from '../../electron/core/roster/pin'
import { openTestKiosk } from '../fixtures/kiosk'
import { BrowserWindow as FakeWindow, FakeFrame, ipcMain, resetElectronStub } from './electron-stub'

const appUrl = resolveAppUrl()
const appPage = 'app://clockface/index.html#/kiosk'

function fakeKiosk() {
  const listeners = new Set<(channel: string, payload: unknown) => void>()
  return {
    gate: vi.fn(async (channel: string, payload: unknown): Promise<Envelope<unknown>> => ({
      ok: true,
      value: { channel, payload },
    })),
    subscribe(listener: (channel: string, payload: unknown) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    push: (channel: string, payload: unknown) => listeners.forEach((l) => l(channel, payload)),
    listeners,
  }
}

function wire() {
  const win = new FakeWindow()
  win.webContents.mainFrame.url = appPage
  const kiosk = fakeKiosk()
  const teardown = setupIpc(win as unknown as BrowserWindow, appUrl, kiosk, silentLogger)
  const fromScreen = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
  return { win, kiosk, teardown, fromScreen }
}

beforeEach(resetElectronStub)

describe('setupIpc', () => {
  it('registers one handler for every operation in the contract, and nothing else', () => {
    wire()
    const channels = Object.values(operations).map((operation) => operation.channel)
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...channels].sort())
  })

  it('passes a call from the kiosk screen to the gate and answers its envelope', async () => {
    const { kiosk, fromScreen } = wire()
    const answer = await ipcMain.invoke('attendance:badge', fromScreen, { badge: '0042' })
    expect(kiosk.gate).toHaveBeenCalledWith(
      'attendance:badge',
      { badge: '0042' },
      expect.anything(),
    )
    expect(answer).toEqual({
      ok: true,
      value: { channel: 'attendance:badge', payload: { badge: '0042' } },
    })
  })

  it('returns the gate error envelope unchanged, code included', async () => {
    const { kiosk, fromScreen } = wire()
    const refused = { ok: false, error: { code: 'INVALID_PAYLOAD', message: 'badge: too long' } }
    kiosk.gate.mockResolvedValueOnce(refused as Envelope<unknown>)
    expect(
      await ipcMain.invoke('attendance:badge', fromScreen, { badge: 'x'.repeat(999) }),
    ).toEqual(refused)
  })

  it('turns a gate that throws into an INTERNAL envelope rather than a bare error', async () => {
    const { kiosk, fromScreen } = wire()
    kiosk.gate.mockRejectedValueOnce(new Error('disk on fire'))
    const answer = (await ipcMain.invoke('sync:status', fromScreen, null)) as Envelope<unknown>
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(answer)).not.toContain('disk on fire')
  })

  it.each([
    ['a foreign page in the top frame', 'https://evil.example/', false],
    ['a local HTML file', 'file:///tmp/evil.html', false],
    ['the built page opened from file://', 'file:///opt/clockface/out/renderer/index.html', false],
    ['another app:// host', 'app://evil.example/index.html', false],
    ['a host that only starts like the app', 'app://clockface.evil.example/index.html', false],
    ['the app host with a user name', 'app://x@clockface/index.html', false],
    ['the app page, but from an iframe', appPage, true],
  ])('answers FORBIDDEN_SENDER to %s without reaching the gate', async (_, url, subframe) => {
    const { win, kiosk } = wire()
    const top = win.webContents.mainFrame
    const frame = subframe ? new FakeFrame(url, top) : top
    frame.url = url
    const answer = await ipcMain.invoke(
      'attendance:badge',
      { sender: win.webContents, senderFrame: frame },
      {
        badge: '0042',
      },
    )
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(kiosk.gate).not.toHaveBeenCalled()
  })

  it('refuses another window showing the app page, and a vanished frame', async () => {
    const { win, kiosk } = wire()
    const other = new FakeWindow()
    other.webContents.mainFrame.url = appPage
    const fromOther = { sender: other.webContents, senderFrame: other.webContents.mainFrame }
    const fromGone = { sender: win.webContents, senderFrame: null }
    for (const from of [fromOther, fromGone]) {
      expect(await ipcMain.invoke('config:info', from, null)).toMatchObject({
        error: { code: 'FORBIDDEN_SENDER' },
      })
    }
    expect(kiosk.gate).not.toHaveBeenCalled()
  })

  it('forwards pushes to the window and stops when the window closes', () => {
    const { win, kiosk } = wire()
    const channel = events.syncStatusChanged.channel
    kiosk.push(channel, { pending: 3 })
    expect(win.webContents.sent).toEqual([[channel, { pending: 3 }]])
    win.close()
    expect(kiosk.listeners.size).toBe(0)
  })

  it('removes every handler on teardown', () => {
    const { teardown, kiosk } = wire()
    teardown()
    expect(ipcMain.handlers.size).toBe(0)
    expect(kiosk.listeners.size).toBe(0)
  })

  it('names one caller per page: the same for each call, a new one after a reload or a crash', async () => {
    const { win, kiosk, fromScreen } = wire()
    const callerOfCall = async () => {
      await ipcMain.invoke('config:info', fromScreen, null)
      return (kiosk.gate.mock.lastCall as unknown[])[2] as { id: string }
    }
    const first = await callerOfCall()
    expect(first.id).toMatch(/^window:/)
    expect(await callerOfCall()).toEqual(first)
    win.webContents.emit('did-navigate')
    const reloaded = await callerOfCall()
    expect(reloaded.id).not.toBe(first.id)
    win.webContents.emit('render-process-gone')
    expect((await callerOfCall()).id).not.toBe(reloaded.id)
  })

  it('keeps admin mode to the page that opened it', async () => {
    const t = await openTestKiosk({ adminPinHash: hashPin('2468') })
    try {
      const win = new FakeWindow()
      win.webContents.mainFrame.url = appPage
      setupIpc(win as unknown as BrowserWindow, appUrl, t.kiosk, silentLogger)
      const fromScreen = { sender: win.webContents, senderFrame: win.webContents.mainFrame }
      const deadLetters = () => ipcMain.invoke('sync:dead-letters', fromScreen, null)
      expect(await ipcMain.invoke('admin:unlock', fromScreen, { pin: '2468' })).toMatchObject({
        ok: true,
      })
      expect(await deadLetters()).toMatchObject({ ok: true })
      expect(await t.kiosk.gate('sync:dead-letters', null)).toMatchObject({
        error: { code: 'ADMIN_REQUIRED' },
      })
      win.webContents.emit('did-navigate')
      expect(await deadLetters()).toMatchObject({ error: { code: 'ADMIN_REQUIRED' } })
    } finally {
      await t.cleanup()
    }
  })
})
