/**
 * What Node's HTTP parser cannot take (bytes that are not a request, headers too large, a request
 * that never completes) answered as an envelope, after any answer still owed on that connection.
 */
import type { ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { ErrorCode } from '../shared/errors'
import { securityHeaders } from '../core/renderer-files'

const reasons: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
}

/**
 * Answers a client error on `socket` and closes it. `owed` is the answer to the connection's
 * last well-formed request, if it is still being written: it goes first, so a request that
 * parsed is answered even when garbage follows it.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  owed: ServerResponse | undefined,
  lingerMs: number,
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400
  const message =
    status === 431
      ? 'The request headers are too large.'
      : status === 408
        ? 'The request took too long to arrive.'
        : 'The request is not well-formed HTTP.'
  // Whatever the client still sends is read and dropped for a while (see closeWith in body.ts).
  const linger = setTimeout(() => socket.destroy(), lingerMs)
  socket.once('close', () => clearTimeout(linger))
  const answer = () => {
    if (socket.writable) socket.end(rawAnswer(status, message))
  }
  if (owed && !owed.writableFinished) owed.once('close', answer)
  else answer()
}

function rawAnswer(status: number, message: string): string {
  const body = JSON.stringify({ ok: false, error: { code: ErrorCode.InvalidPayload, message } })
  const headers = {
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
  }
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
  return `HTTP/1.1 ${status} ${reasons[status]}\r\n${lines.join('')}\r\n${body}`
}
