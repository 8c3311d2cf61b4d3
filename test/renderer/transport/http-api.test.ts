import { describe, expect, it, vi } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import { createHttpApi } from '../../../renderer/src/transport/http-api'

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

/** Just enough of EventSource for the transport: records instances, lets tests emit messages. */
class FakeEventSource {
  static opened: FakeEventSource[] = []
  onmessage: ((event: MessageEvent) => void) | null = null
  closed = false
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this)
  }
  close() {
    this.closed = true
  }
  emit(data: string) {
    this.onmessage?.(new MessageEvent('message', { data }))
  }
}

const fakeSource = (url: string) => new FakeEventSource(url) as unknown as EventSource

describe('HTTP transport', () => {
  it('posts the channel and payload and returns the envelope it gets back', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: true, value: [{ id: 'E1', name: 'Anna' }] }))
    const api = createHttpApi({ fetch, createEventSource: fakeSource })

    const envelope = await api.findEmployees({ query: 'ann' })

    expect(envelope).toEqual({ ok: true, value: [{ id: 'E1', name: 'Anna' }] })
    expect(fetch).toHaveBeenCalledWith('/api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'roster:find', payload: { query: 'ann' } }),
    })
  })

  it('passes error envelopes through with their code and details, whatever the HTTP status', async () => {
    const error = { code: 'PIN_WRONG', message: 'wrong', details: { attemptsLeft: 2 } }
    const fetch = vi.fn(async () => jsonResponse({ ok: false, error }, 400))
    const api = createHttpApi({ fetch, createEventSource: fakeSource })

    expect(await api.recordPinPunch({ employeeId: 'E1', pin: '0000' })).toEqual({
      ok: false,
      error,
    })
  })

  it('turns a network failure into an INTERNAL envelope that says what happened', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    })
    const api = createHttpApi({ fetch, createEventSource: fakeSource })

    const envelope = await api.getKioskInfo()

    expect(envelope.ok).toBe(false)
    if (envelope.ok) return
    expect(envelope.error.code).toBe(ErrorCode.Internal)
    expect(envelope.error.message).toMatch(/Cannot reach the kiosk service.*Failed to fetch/)
  })

  it('turns an answer that is not JSON, or not an envelope, into INTERNAL', async () => {
    const html = vi.fn(async () => new Response('<h1>Bad gateway</h1>', { status: 502 }))
    const stray = vi.fn(async () => jsonResponse({ hello: 'world' }))

    const fromHtml = await createHttpApi({ fetch: html }).getSyncStatus()
    const fromStray = await createHttpApi({ fetch: stray }).getSyncStatus()

    expect(fromHtml).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(fromStray).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })

  it('shares one event stream and gives each listener the payloads of its own channel', () => {
    FakeEventSource.opened = []
    const api = createHttpApi({ fetch: vi.fn(), createEventSource: fakeSource })
    const first = vi.fn()
    const second = vi.fn()

    const stopFirst = api.on('syncStatusChanged', first)
    const stopSecond = api.on('syncStatusChanged', second)
    const [source] = FakeEventSource.opened
    source!.emit(JSON.stringify({ channel: 'sync:status-changed', payload: { pending: 3 } }))
    source!.emit(JSON.stringify({ channel: 'something:else', payload: 1 }))
    source!.emit('not json')

    expect(FakeEventSource.opened).toHaveLength(1)
    expect(source!.url).toBe('/api/events')
    expect(first).toHaveBeenCalledExactlyOnceWith({ pending: 3 })
    expect(second).toHaveBeenCalledExactlyOnceWith({ pending: 3 })

    stopFirst()
    expect(source!.closed).toBe(false)
    stopSecond()
    expect(source!.closed).toBe(true)
  })
})
