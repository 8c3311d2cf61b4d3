import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHostArgs } from '../../electron/host/args'
import { createHostServer } from '../../electron/host/server'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../fixtures/kiosk'

let t: TestKiosk
let server: Server
let port: number
let rendererDir: string

beforeAll(async () => {
  t = await openTestKiosk()
  t.importCsv(sampleRosterCsv)
  rendererDir = await mkdtemp(join(tmpdir(), 'clockface-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clockface</title>')
  await mkdir(join(rendererDir, 'face', 'wasm'), { recursive: true })
  await writeFile(join(rendererDir, 'face', 'wasm', 'tfjs-backend-wasm.wasm'), '\0asm')
  server = createHostServer({ kiosk: t.kiosk, rendererDir })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await t.cleanup()
  await rm(rendererDir, { recursive: true, force: true })
})

function request(
  path: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; type: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body,
            type: String(res.headers['content-type']),
            headers: res.headers,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

const json = { 'content-type': 'application/json' }

describe('browser host', () => {
  it('carries contract calls over HTTP as envelopes', async () => {
    const res = await request('/api/invoke', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ channel: 'attendance:badge', payload: { badge: '10002' } }),
    })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({
      ok: true,
      value: { status: 'recorded', punch: { employeeId: 'E002' } },
    })
    const bad = await request('/api/invoke', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ channel: 'attendance:badge', payload: {} }),
    })
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
  })

  it('answers malformed bodies with a clear error', async () => {
    const res = await request('/api/invoke', { method: 'POST', headers: json, body: '{"channel":' })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } })
    const plain = await request('/api/invoke', { method: 'POST', body: 'channel=kiosk:info' })
    expect(plain.status).toBe(415)
  })

  it('refuses other origins and hosts (cross-site posts, DNS rebinding)', async () => {
    const foreign = await request('/api/invoke', {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example' },
      body: JSON.stringify({ channel: 'config:info' }),
    })
    expect(foreign.status).toBe(403)
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'FORBIDDEN_SENDER' } })
    const rebound = await request('/', { headers: { host: `evil.example:${port}` } })
    expect(rebound.status).toBe(403)
    const own = await request('/api/invoke', {
      method: 'POST',
      headers: { ...json, origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify({ channel: 'config:info' }),
    })
    expect(JSON.parse(own.body)).toMatchObject({ ok: true, value: { product: 'Clockface' } })
  })

  it('serves the renderer and nothing outside it', async () => {
    const index = await request('/')
    expect(index.status).toBe(200)
    expect(index.type).toContain('text/html')
    expect((await request('/../../etc/passwd')).status).toBe(404)
    expect((await request('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404)
    expect((await request('/missing.js')).status).toBe(404)
    expect((await request('/..%5c..%5cetc%5cpasswd')).status).toBe(404)
    expect((await request('/index.html%00.png')).status).toBe(404)
    const wasm = await request('/face/wasm/tfjs-backend-wasm.wasm')
    expect(wasm).toMatchObject({ status: 200, type: 'application/wasm', body: '\0asm' })
  })

  it('lets no other site frame or sniff any answer, page or API', async () => {
    const answers = await Promise.all([
      request('/'),
      request('/missing.js'),
      request('/', { method: 'POST' }),
      request('/api/nothing'),
      request('/api/invoke', { method: 'POST', headers: json, body: '{"channel":"kiosk:info"}' }),
      request('/api/invoke', {
        method: 'POST',
        headers: { ...json, origin: 'https://evil.example' },
      }),
      request('/', { headers: { host: 'evil.example' } }),
    ])
    expect(answers.map((a) => a.status)).toEqual([200, 404, 405, 404, 200, 403, 403])
    for (const { headers } of answers) {
      expect(headers).toMatchObject({
        'content-security-policy': "frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
    }
  })

  it('leaves the page its own CSP: the header only adds what a meta tag cannot carry', async () => {
    const page = await readFile(resolve('renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page)?.[1] ?? ''
    const directives = (policy: string) => policy.split(';').map((d) => d.trim().split(' ')[0])
    expect(directives(meta)).toEqual(expect.arrayContaining(['default-src', 'script-src']))
    expect(meta).toContain("'wasm-unsafe-eval'")
    // frame-ancestors is ignored (with a console warning) in a meta tag; it lives in the header.
    expect(directives(meta)).not.toContain('frame-ancestors')
    const served = await request('/')
    expect(directives(String(served.headers['content-security-policy']))).toEqual([
      'frame-ancestors',
    ])
  })

  it('streams pushes as server-sent events', async () => {
    let frameOptions: unknown
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
        frameOptions = res.headers['x-frame-options']
        let buffer = ''
        res.on('data', (chunk) => {
          buffer += chunk
          const data = buffer.split('\n').find((l) => l.startsWith('data: '))
          if (data) {
            resolve(data.slice(6))
            req.destroy()
          }
        })
      })
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)))
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    await t.kiosk.gate('attendance:badge', { badge: '10001' })
    expect(JSON.parse(await received)).toMatchObject({
      channel: 'sync:status-changed',
      payload: { mode: 'offline-only' },
    })
    expect(frameOptions).toBe('DENY')
  })
})

describe('host arguments', () => {
  it('binds loopback only', () => {
    expect(parseHostArgs(['--port', '8080'])).toEqual({ host: '127.0.0.1', port: 8080 })
    expect(parseHostArgs(['--host=::1'])).toEqual({ host: '::1', port: 4173 })
    expect(() => parseHostArgs(['--host', '0.0.0.0'])).toThrow(/loopback/)
    expect(() => parseHostArgs(['--host', '192.168.1.5'])).toThrow(/loopback/)
    expect(() => parseHostArgs(['--port', 'abc'])).toThrow(/--port/)
    expect(() => parseHostArgs(['--verbose'])).toThrow(/unknown option/)
  })
})
