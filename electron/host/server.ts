/**
 * The browser host's HTTP transport: the same gate Electron IPC uses, carried as
 * `POST /api/invoke {channel, payload}` → envelope, and pushes as server-sent events on
 * `GET /api/events`. Only the transport differs from the Electron kiosk.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { ErrorCode, type Envelope } from '../shared/errors'
import type { Kiosk } from '../core/kiosk'
import {
  announcesTooLarge,
  BodyAborted,
  BodyRefused,
  closeWith,
  defaultBodyLimits,
  readBody,
  tooLarge,
  type BodyLimits,
} from './body'
import { answerClientError } from './client-errors'
import { securityHeaders } from '../core/renderer-files'
import { createPageCallers, type PageCallers } from './page-callers'
import { serveStatic } from './static'

export interface HostServerOptions {
  kiosk: Pick<Kiosk, 'gate' | 'subscribe'>
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  /** Bounds on request bodies; the defaults suit every call the contract has. */
  limits?: Partial<BodyLimits>
}

/** Creates (does not start) the host's HTTP server. */
export function createHostServer({ kiosk, rendererDir, limits }: HostServerOptions): Server {
  const bounds: BodyLimits = { ...defaultBodyLimits, ...limits }
  const callers = createPageCallers()
  const owed = new WeakMap<Duplex, ServerResponse>()
  const route = (req: IncomingMessage, res: ServerResponse) => {
    owed.set(req.socket, res)
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value)
    const sender = checkSender(req)
    if (sender) return send(res, 403, failure(ErrorCode.ForbiddenSender, sender))
    if (announcesTooLarge(req, bounds)) return refuse(req, res, tooLarge(bounds), bounds)
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/api/invoke' && req.method === 'POST') {
      return invoke(kiosk, bounds, callers, req, res)
    }
    if (path === '/api/events' && req.method === 'GET') return streamEvents(kiosk, req, res)
    if (path?.startsWith('/api/')) {
      return send(res, 404, failure(ErrorCode.UnknownOperation, 'No such endpoint.'))
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, failure(ErrorCode.InvalidPayload, 'Only GET here.'))
    }
    if (path?.endsWith('/') || path?.endsWith('.html')) callers.issue(res)
    serveStatic(rendererDir, req.url ?? '/', res)
  }
  const server = createServer(route)
  // An oversize body announced with "Expect: 100-continue" is refused before it is sent.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (!announcesTooLarge(req, bounds)) res.writeContinue()
    route(req, res)
  })
  const answered = new WeakSet<Duplex>()
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser reports every later chunk of a broken connection too; it is answered once.
    if (answered.has(socket)) return
    answered.add(socket)
    answerClientError(error, socket, owed.get(socket), bounds.lingerMs)
  })
  return server
}

/**
 * The HTTP equivalent of checking the sender frame: the request must be addressed to this
 * loopback host by name (defeats DNS rebinding) and, when a browser says where it comes from,
 * come from the host's own origin (defeats other sites posting to localhost).
 */
function checkSender(req: IncomingMessage): string | undefined {
  const host = req.headers.host ?? ''
  if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host)) {
    return 'Requests must be addressed to the loopback host.'
  }
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://${host}`) {
    return 'Requests from other origins are refused.'
  }
  return undefined
}

async function invoke(
  kiosk: HostServerOptions['kiosk'],
  limits: BodyLimits,
  callers: PageCallers,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // A JSON content type cannot be sent cross-site without a preflight, which we never answer.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return send(res, 415, failure(ErrorCode.InvalidPayload, 'Send JSON.'))
  }
  let body: unknown
  try {
    body = JSON.parse(await readBody(req, limits))
  } catch (error) {
    if (error instanceof BodyRefused) return refuse(req, res, error, limits)
    if (error instanceof BodyAborted) return
    return send(res, 400, failure(ErrorCode.InvalidPayload, (error as Error).message))
  }
  const { channel, payload } = (body ?? {}) as { channel?: unknown; payload?: unknown }
  if (typeof channel !== 'string') {
    return send(res, 400, failure(ErrorCode.InvalidPayload, 'The body needs a "channel".'))
  }
  send(res, 200, await kiosk.gate(channel, payload, callers.callerOf(req)))
}

function streamEvents(
  kiosk: HostServerOptions['kiosk'],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  res.write(': connected\n\n')
  const unsubscribe = kiosk.subscribe((channel, payload) => {
    res.write(`data: ${JSON.stringify({ channel, payload })}\n\n`)
  })
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
  req.on('close', () => {
    clearInterval(keepAlive)
    unsubscribe()
  })
}

function failure(code: ErrorCode, message: string, details?: BodyRefused['details']) {
  const error = details ? { code, message, details } : { code, message }
  return { ok: false, error } satisfies Envelope<never>
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  refusal: BodyRefused,
  limits: BodyLimits,
) {
  const envelope = failure(ErrorCode.InvalidPayload, refusal.message, refusal.details)
  closeWith(req, res, refusal.status, JSON.stringify(envelope), limits.lingerMs)
}

function send(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = JSON.stringify(envelope)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  res.end(body)
}
