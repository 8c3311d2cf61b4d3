/**
 * Request bodies the host will not take (too large, too slow, framed to mislead) are answered
 * with an envelope a client can read, and the connection then closes without a reset.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHostServer } from '../../electron/host/server'
import { openTestKiosk, type TestKiosk } from '../fixtures/kiosk'

const cap = 1 << 20
let t: TestKiosk
let server: Server
let port: number
let rendererDir: string

beforeAll(async () => {
  t = await openTestKiosk()
  rendererDir = await mkdtemp(join(tmpdir(), 'clockface-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clockface</title>')
  server = createHostServer({
    kiosk: t.kiosk,
    rendererDir,
    limits: { bodyTimeoutMs: 400, lingerMs: 1000 },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await t.cleanup()
  await rm(rendererDir, { recursive: true, force: true })
})

interface Exchange {
  /** Everything the server wrote, as text. */
  text: string
  status: number | undefined
  /** How the connection ended: 'end' is a clean close, anything else an error code. */
  ended: string
}

/**
 * Plays a client over a raw socket: `send` writes the request (headers and body, at its own pace);
 * with `readAfterSending` the client reads nothing until it has sent everything, as many simple
 * clients do.
 */
function exchange(
  send: (write: (data: string | Buffer) => void) => Promise<void>,
  options: { readAfterSending?: boolean; giveUpMs?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    const finish = (ended: string) => {
      clearTimeout(giveUp)
      socket.destroy()
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]
      resolve({ text, status: status ? Number(status) : undefined, ended })
    }
    const giveUp = setTimeout(() => finish('no answer'), options.giveUpMs ?? 5000)
    const read = () => socket.on('data', (chunk) => (text += chunk.toString('latin1')))
    if (!options.readAfterSending) read()
    socket.on('end', () => finish('end'))
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message))
    socket.on('connect', () => {
      const write = (data: string | Buffer) => void socket.write(data)
      void send(write).then(() => {
        if (options.readAfterSending) read()
      })
    })
  })
}

function head(lines: Record<string, string | number>): string {
  const fields = Object.entries({ host: `127.0.0.1:${port}`, ...lines })
  return `POST /api/invoke HTTP/1.1\r\n${fields.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
}

function envelopeOf(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const json = 'application/json'

describe('request bodies over the cap', () => {
  it('answers 413 with an envelope and closes cleanly (a Node client)', async () => {
    const answer = await new Promise<{ status?: number; body: string; headers: object }>(
      (resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/api/invoke', method: 'POST' },
          (res) => {
            let body = ''
            res.on('data', (chunk) => (body += chunk))
            res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }))
          },
        )
        req.on('error', reject)
        req.setHeader('content-type', json)
        req.end(JSON.stringify({ channel: 'config:info', payload: 'x'.repeat(2 * cap) }))
      },
    )
    expect(answer.status).toBe(413)
    expect(answer.headers).toMatchObject({ connection: 'close' })
    expect(JSON.parse(answer.body)).toEqual({
      ok: false,
      error: {
        code: 'INVALID_PAYLOAD',
        message: expect.stringMatching(/larger than 1 MiB/),
        details: { maxBytes: cap },
      },
    })
  })

  it('lets a client that reads only after sending everything see the 413', async () => {
    const body = Buffer.alloc(6 * cap, 'x')
    const res = await exchange(
      async (write) => {
        write(head({ 'content-type': json, 'content-length': body.length }))
        for (let at = 0; at < body.length; at += cap / 2) {
          write(body.subarray(at, at + cap / 2))
          await sleep(20)
        }
      },
      { readAfterSending: true },
    )
    expect(res).toMatchObject({ status: 413, ended: 'end' })
    expect(envelopeOf(res.text)).toMatchObject({ error: { code: 'INVALID_PAYLOAD' } })
  })

  it('refuses a declared length over the cap at once, before the body is sent', async () => {
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'content-length': 50 * cap }))
      write('{"channel":"kiosk:info"')
    })
    expect(res).toMatchObject({ status: 413, ended: 'end' })
  })

  it('refuses an oversize "Expect: 100-continue" instead of inviting the body', async () => {
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'content-length': 2 * cap, expect: '100-continue' }))
    })
    expect(res.text).not.toContain('100 Continue')
    expect(res).toMatchObject({ status: 413, ended: 'end' })
  })

  it('counts chunked bodies by what arrives, and stops them at the cap', async () => {
    const piece = Buffer.alloc(64 << 10, 'x')
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'transfer-encoding': 'chunked' }))
      for (let i = 0; i < 40; i++) write(`${piece.length.toString(16)}\r\n${piece}\r\n`)
      write('0\r\n\r\n')
    })
    expect(res).toMatchObject({ status: 413, ended: 'end' })
    expect(envelopeOf(res.text)).toMatchObject({
      error: { code: 'INVALID_PAYLOAD' },
    })
  })

  it('reads no more than a lying Content-Length, and never passes the rest to the kiosk', async () => {
    const call = JSON.stringify({ channel: 'config:info' })
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'content-length': call.length }))
      write(call)
      write(Buffer.alloc(2 * cap, 'x'))
    })
    const first = res.text.indexOf('\r\n\r\n') + 4
    expect(res.text.slice(0, 15)).toBe('HTTP/1.1 200 OK')
    expect(res.text.slice(first)).toMatch(/^\{"ok":true,"value":\{[^]*"product":"Clockface"/)
    // The bytes past the declared length are not a request: refused as such, then closed.
    expect(res.text).toMatch(/HTTP\/1\.1 400 [^]*"code":"INVALID_PAYLOAD"/)
    expect(res.ended).toBe('end')
  })
})

describe('slow request bodies', () => {
  it('answers 408 when the body stops arriving, then closes', async () => {
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'content-length': 100 }))
      write('{"channel":')
    })
    expect(res).toMatchObject({ status: 408, ended: 'end' })
    expect(envelopeOf(res.text)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/too long/) },
    })
  })

  it('answers 408 to a body that drips on past the time allowed', async () => {
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'content-length': 1000 }))
      for (let i = 0; i < 20; i++) {
        write(' ')
        await sleep(50)
      }
    })
    expect(res).toMatchObject({ status: 408, ended: 'end' })
  })

  it('still takes a slow body that completes in time', async () => {
    const call = JSON.stringify({ channel: 'config:info' })
    const res = await exchange(async (write) => {
      write(head({ 'content-type': json, 'content-length': call.length, connection: 'close' }))
      for (const part of [call.slice(0, 5), call.slice(5, 12), call.slice(12)]) {
        await sleep(60)
        write(part)
      }
    })
    expect(res.status).toBe(200)
    expect(envelopeOf(res.text)).toMatchObject({ ok: true, value: { product: 'Clockface' } })
  })
})

it('keeps answering ordinary calls after all of that', async () => {
  const call = JSON.stringify({ channel: 'config:info' })
  const res = await exchange(async (write) => {
    write(head({ 'content-type': json, 'content-length': call.length, connection: 'close' }))
    write(call)
  })
  expect(res).toMatchObject({ status: 200, ended: 'end' })
})
