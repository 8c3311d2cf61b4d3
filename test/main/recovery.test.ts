import type { BrowserWindow } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setupRecovery } from '../../electron/main/recovery'
import { silentLogger, type Logger } from '../../electron/core/logger'
import { BrowserWindow as FakeWindow, fakeEvent, resetElectronStub } from './electron-stub'

const timings = {
  firstDelayMs: 1_000,
  maxDelayMs: 8_000,
  hangGraceMs: 5_000,
  healthyAfterMs: 60_000,
}

function recovering(log: Logger = silentLogger) {
  const win = new FakeWindow()
  setupRecovery(win as unknown as BrowserWindow, log, timings)
  const contents = win.webContents
  const crash = (reason = 'crashed') =>
    contents.emit('render-process-gone', fakeEvent(), { reason, exitCode: 133 })
  return { win, contents, crash }
}

beforeEach(() => {
  resetElectronStub()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('setupRecovery', () => {
  it('reloads the screen after the renderer crashes, and logs why', () => {
    const log = { ...silentLogger, warn: vi.fn() }
    const { contents, crash } = recovering(log)
    crash('oom')
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('oom'))
    expect(contents.reload).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1_000)
    expect(contents.reload).toHaveBeenCalledOnce()
  })

  it('backs off when the screen keeps crashing, up to a cap', () => {
    const { contents, crash } = recovering()
    const delays: number[] = []
    for (let i = 0; i < 5; i++) {
      crash()
      const before = contents.reload.mock.calls.length
      let waited = 0
      while (contents.reload.mock.calls.length === before) {
        vi.advanceTimersByTime(100)
        waited += 100
      }
      delays.push(waited)
      contents.emit('did-finish-load')
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000])
  })

  it('starts the backoff over once the screen has stayed up for a while', () => {
    const { contents, crash } = recovering()
    crash()
    vi.advanceTimersByTime(1_000)
    crash()
    vi.advanceTimersByTime(2_000)
    contents.emit('did-finish-load')
    vi.advanceTimersByTime(60_000)
    crash()
    vi.advanceTimersByTime(1_000)
    expect(contents.reload).toHaveBeenCalledTimes(3)
  })

  it('coalesces a burst of crash reports into one reload', () => {
    const { contents, crash } = recovering()
    crash()
    crash()
    vi.advanceTimersByTime(10_000)
    expect(contents.reload).toHaveBeenCalledOnce()
  })

  it('kills and reloads a hung screen after a grace period, once', () => {
    const { contents, crash } = recovering()
    contents.emit('unresponsive')
    vi.advanceTimersByTime(4_999)
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(contents.forcefullyCrashRenderer).toHaveBeenCalledOnce()
    expect(contents.reload).toHaveBeenCalledOnce()
    // The kill reports itself as a gone renderer; that must not cause a second reload.
    crash('killed')
    vi.advanceTimersByTime(60_000)
    expect(contents.reload).toHaveBeenCalledOnce()
  })

  it('leaves a screen alone that becomes responsive within the grace period', () => {
    const { contents } = recovering()
    contents.emit('unresponsive')
    vi.advanceTimersByTime(3_000)
    contents.emit('responsive')
    vi.advanceTimersByTime(60_000)
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled()
    expect(contents.reload).not.toHaveBeenCalled()
  })

  it('does nothing once the window is gone', () => {
    const { win, contents, crash } = recovering()
    crash()
    win.close()
    vi.advanceTimersByTime(60_000)
    expect(contents.reload).not.toHaveBeenCalled()
  })
})
