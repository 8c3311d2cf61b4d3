/**
 * What the fakes of DingTalk, WeCom and Feishu share: a real HTTP server on 127.0.0.1, routes by
 * method and path, a log of calls, and one-shot tricks per path (a captive portal's HTML, broken
 * JSON, a huge body, a reply lost after the request landed, or a canned answer).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { close, listen, readBody } from '../../crm/http-kit'

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** The parsed JSON body, or undefined. */
  body: unknown
}

export interface FakeAnswer {
  status?: number
  headers?: Record<string, string>
  body: unknown
}

export type Route = (req: FakeRequest) => FakeAnswer

export type Trick =
  | 'html'
  | 'garbage'
  | 'huge'
  /** The route runs (the request lands), then the connection drops without an answer. */
  | 'drop-reply'
  | FakeAnswer

export class PlatformFake {
  url = ''
  readonly calls: FakeRequest[] = []
  private server: Server | undefined
  private readonly tricks = new Map<string, Trick[]>()

  constructor(protected readonly routes: Record<string, Route> = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void (async () => {
        const raw = await readBody(req, 1 << 20)
        const url = new URL(req.url ?? '/', 'http://fake')
        let body: unknown
        try {
          body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined
        } catch {
          body = undefined
        }
        const call: FakeRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        }
        this.calls.push(call)
        const trick = this.tricks.get(call.path)?.shift()
        const route = this.routes[`${call.method} ${call.path}`]
        const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
          const text = JSON.stringify(value)
          res.writeHead(status, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(Buffer.byteLength(text)),
            ...headers,
          })
          res.end(text)
        }
        if (trick === 'html') {
          res.writeHead(200, { 'content-type': 'text/html' })
          return res.end('<html><body>Please log in to the guest Wi-Fi</body></html>')
        }
        if (trick === 'garbage') {
          res.writeHead(200, { 'content-type': 'application/json' })
          return res.end('{"errcode":0,"code":0,')
        }
        if (trick === 'huge') {
          res.writeHead(200, { 'content-type': 'application/json' })
          return res.end(`{"errcode":0,"pad":"${'x'.repeat(11 * 1024 * 1024)}"}`)
        }
        if (typeof trick === 'object') return json(trick.status ?? 200, trick.body, trick.headers)
        if (!route) {
          res.writeHead(404, { 'content-type': 'text/plain' })
          return res.end('not found')
        }
        const answer = route(call)
        if (trick === 'drop-reply') return res.socket?.destroy()
        json(answer.status ?? 200, answer.body, answer.headers)
      })().catch(() => res.socket?.destroy())
    })
    this.url = (await listen(this.server)).url
    return this
  }

  /** The next requests to `path` meet these tricks, one each, in order. */
  trick(path: string, ...tricks: Trick[]): void {
    this.tricks.set(path, [...(this.tricks.get(path) ?? []), ...tricks])
  }

  /** How many requests reached `path`. */
  count(path: string): number {
    return this.calls.filter((c) => c.path === path).length
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server)
  }
}

/** A random token, as the platforms issue them. */
export function issueToken(prefix = ''): string {
  return prefix + randomBytes(16).toString('hex')
}

/** The UTC offset of `zone` at `ms`, in ms. */
export function zoneOffsetMs(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms))
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'))
  return wall - Math.floor(ms / 1000) * 1000
}

/** `yyyy-MM-dd HH:mm:ss` read as a wall time in `zone`, in ms; NaN when it is not one. */
export function parseWallTime(text: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text)
  if (!m) return NaN
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
  let ms = wall - zoneOffsetMs(wall, zone)
  ms = wall - zoneOffsetMs(ms, zone)
  return ms
}
