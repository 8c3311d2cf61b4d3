import { beforeEach, describe, expect, it, vi } from 'vitest'
import { operations, events, type ClockfaceApi } from '../../electron/shared/contract'

type Stub = typeof import('./electron-stub')

/** Evaluates the preload afresh against a fresh stub (the preload works by side effect). */
async function loadPreload(): Promise<{ stub: Stub; api: ClockfaceApi }> {
  vi.resetModules()
  const stub = await import('./electron-stub')
  stub.resetElectronStub()
  await import('../../electron/preload/index')
  expect(stub.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
  return { stub, api: stub.contextBridge.exposed.get('clockface') as ClockfaceApi }
}

describe('preload', () => {
  let api: ClockfaceApi
  let stub: Stub
  beforeEach(async () => {
    ;({ stub, api } = await loadPreload())
  })

  it('exposes only window.clockface: one function per operation plus on', () => {
    expect([...stub.contextBridge.exposed.keys()]).toEqual(['clockface'])
    expect(Object.keys(api).sort()).toEqual([...Object.keys(operations), 'on'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('never hands out ipcRenderer', () => {
    for (const value of Object.values(api)) expect(value).not.toBe(stub.ipcRenderer)
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i)
  })

  it('invokes each operation on its channel with the payload, returning the envelope', async () => {
    const answer = await api.recordBadgePunch({ badge: '0042' })
    expect(stub.ipcRenderer.invoke).toHaveBeenCalledWith('attendance:badge', { badge: '0042' })
    expect(answer).toEqual({
      ok: true,
      value: { channel: 'attendance:badge', payload: { badge: '0042' } },
    })
    for (const [name, operation] of Object.entries(operations)) {
      const call = api[name as keyof typeof operations] as (payload: unknown) => Promise<unknown>
      await call(undefined)
      expect(stub.ipcRenderer.invoke).toHaveBeenLastCalledWith(operation.channel, null)
    }
  })

  it('passes only the payload to listeners, never the event', () => {
    const listener = vi.fn()
    api.on('syncStatusChanged', listener)
    const event = stub.fakeEvent({ sender: stub.ipcRenderer })
    stub.ipcRenderer.emit(events.syncStatusChanged.channel, event, { pending: 2 })
    expect(listener).toHaveBeenCalledExactlyOnceWith({ pending: 2 })
  })

  it('unsubscribes exactly the listener it added', () => {
    const kept = vi.fn()
    const dropped = vi.fn()
    api.on('syncStatusChanged', kept)
    const unsubscribe = api.on('syncStatusChanged', dropped)
    unsubscribe()
    stub.ipcRenderer.emit(events.syncStatusChanged.channel, stub.fakeEvent(), { pending: 0 })
    expect(dropped).not.toHaveBeenCalled()
    expect(kept).toHaveBeenCalledOnce()
    expect(stub.ipcRenderer.listenerCount(events.syncStatusChanged.channel)).toBe(1)
  })
})
