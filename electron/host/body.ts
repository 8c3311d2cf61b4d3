/**
 * Request bodies within bounds: a size cap counted on the bytes that arrive (whatever the headers
 * claim), a time limit for the whole body, and a refusal the client can still read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorDetails } from '../shared/errors'

export interface BodyLimits {
  /** Largest request body, in bytes. */
  maxBodyBytes: number
  /** Longest a body may take to arrive, from its headers to its last byte, in ms. */
  bodyTimeoutMs: number
  /** After a refusal, how long what the client still sends is read and dropped, in ms. */
  lingerMs: number
}

export const defaultBodyLimits: BodyLimits = {
  maxBodyBytes: 1 << 20,
  bodyTimeoutMs: 10_000,
  lingerMs: 5_000,
}

/** A body the host will not take: too large (413) or too slow to arrive (408). */
export class BodyRefused extends Error {
  override name = 'BodyRefused'
  constructor(
    readonly status: 408 | 413,
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message)
  }
}

/** The client went away before its body was complete: there is nobody left to answer. */
export class BodyAborted extends Error {
  override name = 'BodyAborted'
}

/** The refusal of a body over the cap. */
export function tooLarge(limits: BodyLimits): BodyRefused {
  const mib = limits.maxBodyBytes / (1 << 20)
  return new BodyRefused(413, `The request body is larger than ${mib} MiB.`, {
    maxBytes: limits.maxBodyBytes,
  })
}

/** True when the request itself announces a body over the cap: refuse it before reading. */
export function announcesTooLarge(req: IncomingMessage, limits: BodyLimits): boolean {
  const declared = Number(req.headers['content-length'])
  return Number.isFinite(declared) && declared > limits.maxBodyBytes
}

/**
 * The body as text; rejects with BodyRefused once more than the cap has arrived or the time is up.
 * After a refusal the request keeps flowing, its bytes dropped, so the connection can be closed
 * without a reset (see closeWith).
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const settle = (error?: Error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error) reject(error)
      else resolve(Buffer.concat(chunks).toString('utf8'))
    }
    const timer = setTimeout(() => {
      const seconds = limits.bodyTimeoutMs / 1000
      settle(
        new BodyRefused(408, `The request body took too long to arrive (over ${seconds} s).`, {
          timeoutMs: limits.bodyTimeoutMs,
        }),
      )
    }, limits.bodyTimeoutMs)
    req.on('data', (chunk: Buffer) => {
      if (settled) return
      size += chunk.length
      if (size <= limits.maxBodyBytes) chunks.push(chunk)
      else {
        chunks.length = 0
        settle(tooLarge(limits))
      }
    })
    req.on('end', () => settle())
    req.on('error', settle)
    req.on('close', () => settle(new BodyAborted('The request was aborted.')))
  })
}

/**
 * Sends a complete JSON answer, then closes the connection once the client has finished sending
 * or `lingerMs` has passed. Closing while the client still sends would answer its bytes with a
 * reset, and a reset can destroy our answer before the client has read it.
 */
export function closeWith(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  lingerMs: number,
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  })
  res.write(body)
  const close = () => {
    clearTimeout(timer)
    if (!res.writableEnded) res.end()
  }
  const timer = setTimeout(close, lingerMs)
  if (req.complete) return close()
  req.once('end', close)
  req.once('close', close)
  req.resume()
}
