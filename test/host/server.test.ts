import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () =>
          resolve({ status: res.statusCode!, body, type: String(res.headers['content-type']) }),
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
  })

  it('streams pushes as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
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
