import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setupShutdown } from '../../electron/main/shutdown'
import { silentLogger } from '../../electron/core/logger'
import { app, fakeEvent, resetElectronStub } from './electron-stub'

beforeEach(resetElectronStub)
afterEach(() => vi.useRealTimers())

describe('setupShutdown', () => {
  it('holds the quit until the kiosk has closed, then quits once', async () => {
    let finishClose!: () => void
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)))
    setupShutdown({ close }, silentLogger)
    const first = fakeEvent()
    app.emit('will-quit', first)
    app.emit('will-quit', fakeEvent())
    expect(first.preventDefault).toHaveBeenCalled()
    expect(close).toHaveBeenCalledOnce()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(app.quit).not.toHaveBeenCalled()
    finishClose()
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce())
  })

  it('quits anyway when closing fails or hangs', async () => {
    vi.useFakeTimers()
    const log = { ...silentLogger, error: vi.fn() }
    setupShutdown({ close: () => new Promise<void>(() => {}) }, log, 5_000)
    app.emit('will-quit', fakeEvent())
    await vi.advanceTimersByTimeAsync(5_000)
    expect(app.quit).toHaveBeenCalledOnce()
    expect(log.error).toHaveBeenCalledWith(
      expect.stringContaining('did not close'),
      expect.any(Error),
    )
  })
})
