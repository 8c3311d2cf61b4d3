/** An HTTP proxy on 127.0.0.1 that records every exchange, so tests can check both sides. */
import { createServer } from 'node:http'
import type { Exchange } from './contract'
import { close, forward, listen, readBody, reply } from './http-kit'

export interface RecordingProxy {
  url: string
  /** Every completed exchange, in the order answers were sent. */
  exchanges(): Exchange[]
  stop(): Promise<void>
}

/** Starts a recording proxy in front of `target` (a base URL). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const recorded: Exchange[] = []
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req)
      const answer = await forward(target, req, body)
      recorded.push({
        request: {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: body.toString('utf8'),
        },
        status: answer.status,
        headers: answer.headers,
        body: answer.body.toString('utf8'),
      })
      reply(res, answer)
    } catch {
      res.socket?.destroy()
    }
  })
  const { url } = await listen(server)
  return { url, exchanges: () => [...recorded], stop: () => close(server) }
}
