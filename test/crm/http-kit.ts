/** Small HTTP plumbing shared by the reference CRM and the test proxies (127.0.0.1 only). */
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'

/** A buffered HTTP answer. */
export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

// Hop-by-hop headers belong to one connection; a proxy must not pass them on.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
])

/** Listens on 127.0.0.1 (port 0 = any free one) and returns the base URL. */
export async function listen(server: Server, port = 0): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  return { url: `http://127.0.0.1:${bound}`, port: bound }
}

/** Closes the server and every connection it still holds, idle or not. */
export async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeAllConnections()
  await closed
}

/** Reads a whole request body; rejects past `limit` bytes. */
export function readBody(req: IncomingMessage, limit = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.pause()
        reject(new RangeError(`request body over ${limit} bytes`))
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Sends the request on to `target` (a base URL) and buffers the answer. */
export function forward(target: string, req: IncomingMessage, body: Buffer): Promise<Answer> {
  const url = new URL(req.url ?? '/', target)
  const headers = withoutHopByHop(req.headers)
  headers.host = url.host
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(url, { method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 502,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      )
      res.on('error', reject)
    })
    upstream.on('error', reject)
    upstream.end(body)
  })
}

/** Writes a buffered answer, keeping the upstream's own Date header. */
export function reply(res: ServerResponse, answer: Answer): void {
  const headers = withoutHopByHop(answer.headers)
  headers['content-length'] = String(answer.body.length)
  res.writeHead(answer.status, headers as Record<string, string | string[]>)
  res.end(answer.body)
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) out[name] = value
  }
  return out
}
