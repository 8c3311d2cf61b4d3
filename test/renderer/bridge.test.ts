import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildApi } from '../../electron/shared/contract'
import { ErrorCode } from '../../electron/shared/errors'
import { kioskInfo } from './fake-kiosk'

afterEach(() => {
  delete window.clockface
  vi.resetModules()
  vi.unstubAllGlobals()
})

/** The bridge picks its transport once, so each test loads fresh modules (errors included). */
async function freshBridge() {
  vi.resetModules()
  const errors = await import('../../electron/shared/errors')
  return { ...(await import('../../renderer/src/bridge')), ClockfaceError: errors.ClockfaceError }
}

describe('bridge', () => {
  it('uses the preload API when Electron exposes one, and unwraps its envelopes', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: kioskInfo }))
    window.clockface = buildApi(invoke, () => () => undefined)
    const { api } = await freshBridge()

    expect(await api.getKioskInfo()).toEqual(kioskInfo)
    expect(invoke).toHaveBeenCalledWith('config:info', null)
  })

  it('falls back to HTTP when there is no preload API', async () => {
    const fetch = vi.fn(async () => Response.json({ ok: true, value: kioskInfo }))
    vi.stubGlobal('fetch', fetch)
    const { api } = await freshBridge()

    expect(await api.getKioskInfo()).toEqual(kioskInfo)
    expect(fetch).toHaveBeenCalledWith('/api/invoke', expect.objectContaining({ method: 'POST' }))
  })

  it('throws a ClockfaceError that keeps the code and details of an error envelope', async () => {
    const { api, connectBridge, ClockfaceError } = await freshBridge()
    connectBridge(
      buildApi(
        async () => ({
          ok: false,
          error: { code: 'PIN_LOCKED', message: 'locked', details: { lockedUntil: 'x' } },
        }),
        () => () => undefined,
      ),
    )

    const failure = await api.recordPinPunch({ employeeId: 'E1', pin: '1' }).catch((e) => e)

    expect(failure).toBeInstanceOf(ClockfaceError)
    expect(failure).toMatchObject({ code: ErrorCode.PinLocked, details: { lockedUntil: 'x' } })
  })

  it('turns a transport that throws into an INTERNAL ClockfaceError', async () => {
    const { api, connectBridge, ClockfaceError } = await freshBridge()
    connectBridge(
      buildApi(
        async () => {
          throw new Error('No handler registered for attendance:badge')
        },
        () => () => undefined,
      ),
    )

    const failure = await api.recordBadgePunch({ badge: '1234' }).catch((e) => e)

    expect(failure).toBeInstanceOf(ClockfaceError)
    expect(failure.code).toBe(ErrorCode.Internal)
    expect(failure.message).toContain('No handler registered')
  })
})
