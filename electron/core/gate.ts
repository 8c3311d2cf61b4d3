/**
 * The one place every call from the screen passes through, whatever the transport: the
 * operation must be in the contract, the payload must match its schema, and whatever the
 * handler throws becomes an error envelope with a code.
 */
import { operationForChannel, operations } from '../shared/contract'
import type { OperationName, PayloadOf, ResultOf } from '../shared/contract'
import { ErrorCode, toErrorBody, type Envelope } from '../shared/errors'
import { parseOrThrow, SchemaError } from '../shared/schema'
import type { Logger } from './logger'

/**
 * Who a call comes from, as its transport knows it: one kiosk window (Electron) or one page
 * that the browser host served (its cookie). Admin mode belongs to the caller that opened it.
 */
export interface Caller {
  /** Stable for as long as that screen shows one page; null when the transport cannot tell. */
  readonly id: string | null
}

/** A call whose transport could not name its screen: it never gets admin rights. */
export const anonymousCaller: Caller = Object.freeze({ id: null })
/** Calls made inside the process (the CLI, tests, benchmarks), which share one caller. */
export const inProcessCaller: Caller = Object.freeze({ id: 'in-process' })

export type Handlers = {
  [K in OperationName]: (
    payload: PayloadOf<K>,
    caller: Caller,
  ) => Promise<ResultOf<K>> | ResultOf<K>
}

/** The handlers one domain module provides: the operations whose channel names its folder. */
export type DomainHandlers<Names extends readonly OperationName[]> = Pick<Handlers, Names[number]>

/** Both transports pass the caller; without one, the call is one of the process's own. */
export type Gate = (
  channel: string,
  payload: unknown,
  caller?: Caller,
) => Promise<Envelope<unknown>>

/** Wraps handlers so that every call is checked and every answer is an envelope. */
export function createGate(handlers: Handlers, log: Logger): Gate {
  return async (channel, payload, caller = inProcessCaller) => {
    const name = operationForChannel(channel)
    if (!name) {
      return fail(ErrorCode.UnknownOperation, `No operation is called ${JSON.stringify(channel)}.`)
    }
    let parsed: unknown
    try {
      parsed = parseOrThrow(operations[name].payload, payload)
    } catch (error) {
      // The message names the path and what was expected, never the value: it may be a PIN.
      if (error instanceof SchemaError) return fail(ErrorCode.InvalidPayload, error.message)
      throw error
    }
    try {
      const handler = handlers[name] as (payload: unknown, caller: Caller) => unknown
      return { ok: true, value: await handler(parsed, caller) }
    } catch (error) {
      const body = toErrorBody(error)
      // Payloads are never logged: they may hold PINs, badge numbers or face descriptors.
      if (body.code === ErrorCode.Internal) log.error(`${channel} failed`, error)
      return { ok: false, error: body }
    }
  }
}

function fail(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } }
}
