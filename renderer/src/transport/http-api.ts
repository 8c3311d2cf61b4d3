/**
 * The browser host's transport: the same contract as the Electron preload, carried over HTTP
 * (calls) and server-sent events (pushes) to the Node host on 127.0.0.1.
 */
import { buildApi, type ClockfaceApi } from '../../../electron/shared/contract'
import { ErrorCode, type Envelope } from '../../../electron/shared/errors'

export interface HttpTransportOptions {
  /** Defaults to the global fetch; tests pass a fake. */
  fetch?: typeof fetch
  /** Defaults to the global EventSource; tests pass a fake. */
  createEventSource?: (url: string) => EventSource
  invokeUrl?: string
  eventsUrl?: string
}

type Listener = (payload: unknown) => void

function internalError(message: string): Envelope<never> {
  return { ok: false, error: { code: ErrorCode.Internal, message } }
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as { ok?: unknown; error?: { code?: unknown } }
  if (candidate.ok === true) return 'value' in candidate
  return candidate.ok === false && typeof candidate.error?.code === 'string'
}

/** Builds the ClockfaceApi over `POST /api/invoke` and one shared `EventSource('/api/events')`. */
export function createHttpApi(options: HttpTransportOptions = {}): ClockfaceApi {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const createEventSource = options.createEventSource ?? ((url) => new EventSource(url))
  const invokeUrl = options.invokeUrl ?? '/api/invoke'
  const eventsUrl = options.eventsUrl ?? '/api/events'

  async function invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
    let response: Response
    try {
      response = await doFetch(invokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel, payload }),
      })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return internalError(`Cannot reach the kiosk service at ${invokeUrl}: ${reason}`)
    }
    let body: unknown
    try {
      body = await response.json()
    } catch {
      return internalError(
        `The kiosk service answered ${channel} with HTTP ${response.status} and no JSON.`,
      )
    }
    if (!isEnvelope(body)) {
      return internalError(
        `The kiosk service answered ${channel} with something that is not a result envelope.`,
      )
    }
    return body
  }

  const listeners = new Map<string, Set<Listener>>()
  let source: EventSource | null = null

  function dispatch(event: MessageEvent) {
    let message: { channel?: unknown; payload?: unknown }
    try {
      message = JSON.parse(String(event.data)) as typeof message
    } catch {
      return
    }
    if (typeof message?.channel !== 'string') return
    for (const listener of [...(listeners.get(message.channel) ?? [])]) listener(message.payload)
  }

  function subscribe(channel: string, listener: Listener): () => void {
    let channelListeners = listeners.get(channel)
    if (!channelListeners) listeners.set(channel, (channelListeners = new Set()))
    channelListeners.add(listener)
    if (!source) {
      // One stream for every channel; EventSource reconnects by itself when the host restarts.
      source = createEventSource(eventsUrl)
      source.onmessage = dispatch
    }
    return () => {
      channelListeners.delete(listener)
      if (channelListeners.size === 0) listeners.delete(channel)
      if (listeners.size === 0 && source) {
        source.close()
        source = null
      }
    }
  }

  return buildApi(invoke, subscribe)
}
