/**
 * The renderer's only door to main. In Electron the preload exposes `window.clockface`; in the
 * browser host it is absent and the same contract is carried over HTTP. Stores use `api`, whose
 * calls resolve to the value or reject with a ClockfaceError, whatever the transport.
 */
import {
  operations,
  type ClockfaceApi,
  type EventName,
  type EventPayloadOf,
  type OperationName,
  type PayloadOf,
  type ResultOf,
} from '../../electron/shared/contract'
import { ClockfaceError, ErrorCode, unwrap, type Envelope } from '../../electron/shared/errors'
import { createHttpApi } from './transport/http-api'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    clockface?: ClockfaceApi
  }
}

/** The contract with envelopes unwrapped: values on success, ClockfaceError on failure. */
export type KioskApi = {
  [K in OperationName]: (payload: PayloadOf<K>) => Promise<ResultOf<K>>
} & {
  /** Subscribes to a push from main; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void
}

let transport: ClockfaceApi | undefined

function currentTransport(): ClockfaceApi {
  transport ??= window.clockface ?? createHttpApi()
  return transport
}

/** Replaces the transport (tests build one with `buildApi`); the next call uses it. */
export function connectBridge(next: ClockfaceApi): void {
  transport = next
}

function asClockfaceError(error: unknown): ClockfaceError {
  if (error instanceof ClockfaceError) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new ClockfaceError(ErrorCode.Internal, `The kiosk service failed: ${reason}`)
}

/** Wraps a transport so every operation unwraps its envelope; the transport is looked up per call. */
export function unwrapApi(source: () => ClockfaceApi): KioskApi {
  const api: Record<string, unknown> = {
    on: <E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void) =>
      source().on(event, listener),
  }
  for (const name of Object.keys(operations) as OperationName[]) {
    api[name] = async (payload: unknown) => {
      const call = source()[name] as (payload: unknown) => Promise<Envelope<unknown>>
      try {
        return unwrap(await call(payload))
      } catch (error) {
        throw asClockfaceError(error)
      }
    }
  }
  return api as KioskApi
}

/** The kiosk API for stores: `await api.recordBadgePunch({ badge })`. */
export const api: KioskApi = unwrapApi(currentTransport)
