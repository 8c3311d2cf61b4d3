/** An HTTP proxy on 127.0.0.1 that breaks a chosen share of requests in a chosen way. */
import { createServer, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { close, forward, listen, readBody, reply } from './http-kit'
import { mulberry32 } from '../fixtures/random'

/** Every way the proxy can break a request, in the order shares are laid out on [0, 1). */
export const FAULT_KINDS = [
  'resetBeforeCommit',
  'resetAfterCommit',
  'blackHole',
  'status500',
  'status502',
  'status503',
  'status429',
  'malformedJson',
  'html200',
  'slow',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]
export type FaultShares = Partial<Record<FaultKind, number>>

export interface FaultProxyOptions {
  /** Base URL of the real server. */
  target: string
  /** Seed of the PRNG that picks each request's fate: same seed, same sequence. */
  seed?: number
  /** Share of requests per fault, each 0 to 1, summing to at most 1; the rest pass. */
  faults: FaultShares
  /** Extra delay for `slow`, ms (default 1000). */
  slowMs?: number
  /** Retry-After on 429 and 503, seconds (default 1). */
  retryAfterSeconds?: number
  /** Send Retry-After as an HTTP date instead of seconds. */
  retryAfterAsDate?: boolean
}

export interface FaultProxy {
  url: string
  stop(): Promise<void>
  /** How many requests met each fault, and how many passed untouched. */
  counts(): Record<FaultKind | 'passed', number>
  /** Changes the shares from the next request on. */
  setFaults(faults: FaultShares): void
}

/** Starts a fault proxy in front of `opts.target`. */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const random = mulberry32(opts.seed ?? 1)
  const counts = Object.fromEntries([...FAULT_KINDS, 'passed'].map((k) => [k, 0])) as Record<
    FaultKind | 'passed',
    number
  >
  let shares = checked(opts.faults)
  const held = new Set<Socket>()

  const pick = (): FaultKind | 'passed' => {
    let r = random()
    for (const kind of FAULT_KINDS) {
      r -= shares[kind] ?? 0
      if (r < 0) return kind
    }
    return 'passed'
  }

  const server = createServer(async (req, res) => {
    const fault = pick()
    counts[fault]++
    try {
      if (fault === 'resetBeforeCommit') return void req.socket.destroy()
      if (fault === 'blackHole') return void held.add(req.socket)
      const body = await readBody(req)
      const canned = cannedAnswer(fault, counts[fault], opts)
      if (canned) return void send(res, canned)
      const answer = await forward(opts.target, req, body)
      // The server has committed whatever this request did; only the reply is lost.
      if (fault === 'resetAfterCommit') return void req.socket.destroy()
      if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, opts.slowMs ?? 1000))
      reply(res, answer)
    } catch {
      req.socket.destroy()
    }
  })
  const { url } = await listen(server)

  return {
    url,
    async stop() {
      for (const socket of held) socket.destroy()
      await close(server)
    },
    counts: () => ({ ...counts }),
    setFaults(faults) {
      shares = checked(faults)
    },
  }
}

interface Canned {
  status: number
  type: string
  body: string
  headers?: Record<string, string>
}

function cannedAnswer(
  fault: FaultKind | 'passed',
  nth: number,
  opts: FaultProxyOptions,
): Canned | undefined {
  const seconds = opts.retryAfterSeconds ?? 1
  const retryAfter = opts.retryAfterAsDate
    ? new Date(Date.now() + seconds * 1000).toUTCString()
    : String(seconds)
  const error = (status: number, code: string): Canned => ({
    status,
    type: 'application/json',
    body: JSON.stringify({ error: code }),
    headers: status === 429 || status === 503 ? { 'Retry-After': retryAfter } : undefined,
  })
  switch (fault) {
    case 'status500':
      return error(500, 'internal')
    case 'status502':
      return { status: 502, type: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }
    case 'status503':
      return error(503, 'unavailable')
    case 'status429':
      return error(429, 'too_many_requests')
    case 'malformedJson':
      // Alternate a reply cut off mid-stream with one that parses but has the wrong shape.
      return {
        status: 200,
        type: 'application/json',
        body: nth % 2 === 1 ? '{"results":[{"id":"' : '{"ok":true,"results":"all good"}',
      }
    case 'html200':
      return {
        status: 200,
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><html><body><h1>Sign in to the guest Wi-Fi</h1></body></html>',
      }
    default:
      return undefined
  }
}

function send(res: ServerResponse, canned: Canned): void {
  res.writeHead(canned.status, { 'Content-Type': canned.type, ...canned.headers })
  res.end(canned.body)
}

function checked(faults: FaultShares): FaultShares {
  const values = Object.values(faults)
  if (values.some((v) => !(v >= 0 && v <= 1))) throw new RangeError('each share must be 0 to 1')
  if (values.reduce((a, b) => a + b, 0) > 1 + 1e-9) throw new RangeError('shares sum above 1')
  return { ...faults }
}
