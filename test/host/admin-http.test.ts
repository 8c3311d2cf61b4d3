/**
 * Admin mode over the real browser host: the page's cookie names its caller, other local
 * clients cannot ride an open session, and the admin PIN lockout holds against 100 guesses
 * sent at once over HTTP.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { Agent, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { hashPin } from '../../electron/core/roster/pin'
import { createHostServer } from '../../electron/host/server'
import { openTestKiosk, type TestKiosk } from '../fixtures/kiosk'
import { pinChecks } from '../fixtures/pin-checks'

vi.mock('../../electron/core/roster/pin', async (importOriginal) =>
  (await import('../fixtures/pin-checks')).countingPinChecks(await importOriginal()),
)

let t: TestKiosk | undefined
let server: Server | undefined
let rendererDir: string | undefined
let port = 0
const agent = new Agent({ keepAlive: true, maxSockets: 100 })

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  await t?.cleanup()
  if (rendererDir) await rm(rendererDir, { recursive: true, force: true })
  server = t = rendererDir = undefined
})

async function startHost(): Promise<void> {
  t = await openTestKiosk({ adminPinHash: hashPin('2468') })
  rendererDir = await mkdtemp(join(tmpdir(), 'clockface-renderer-'))
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clockface</title>')
  server = createHostServer({ kiosk: t.kiosk, rendererDir })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  pinChecks.count = 0
}

function request(
  path: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, agent, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () =>
          resolve({ status: res.statusCode!, body, setCookie: res.headers['set-cookie'] ?? [] }),
        )
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** Loads the page as a browser would; answers the cookie it got. */
async function openPage(): Promise<string> {
  const page = await request('/')
  expect(page.status).toBe(200)
  return (page.setCookie[0] ?? '').split(';')[0]!
}

async function invoke(channel: string, payload: unknown, cookie?: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (cookie) headers.cookie = cookie
  const res = await request('/api/invoke', {
    method: 'POST',
    headers,
    body: JSON.stringify({ channel, payload }),
  })
  const envelope = JSON.parse(res.body) as { ok: boolean; error?: { code: string } }
  return envelope.ok ? 'ok' : envelope.error!.code
}

describe('admin mode over the browser host', () => {
  it('gives each page an HttpOnly, SameSite=Strict caller cookie', async () => {
    await startHost()
    const page = await request('/')
    expect(page.setCookie[0]).toMatch(
      /^clockface-caller=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/,
    )
    expect((await request('/')).setCookie[0]).not.toBe(page.setCookie[0])
  })

  it('is usable only by the page that opened it', async () => {
    await startHost()
    const pageA = await openPage()
    const pageB = await openPage()
    expect(await invoke('admin:unlock', { pin: '2468' }, pageA)).toBe('ok')
    expect(await invoke('sync:dead-letters', null, pageA)).toBe('ok')
    expect(await invoke('sync:dead-letters', null)).toBe('ADMIN_REQUIRED')
    expect(await invoke('sync:dead-letters', null, pageB)).toBe('ADMIN_REQUIRED')
    const forged = `${pageA.split('.')[0]}.${'A'.repeat(43)}`
    expect(await invoke('sync:dead-letters', null, forged)).toBe('ADMIN_REQUIRED')
    expect(await invoke('admin:unlock', { pin: '2468' })).toBe('FORBIDDEN_SENDER')
    expect(await invoke('config:info', null)).toBe('ok')
    expect(await invoke('admin:lock', null, pageA)).toBe('ok')
    expect(await invoke('sync:dead-letters', null, pageA)).toBe('ADMIN_REQUIRED')
  })

  it('checks at most pin.maxAttempts of 100 admin PINs sent at once; the right one as the 46th is refused', async () => {
    await startHost()
    const page = await openPage()
    const guesses = Array.from({ length: 100 }, (_, i) => (i === 45 ? '2468' : String(5000 + i)))
    const answers = await Promise.all(guesses.map((pin) => invoke('admin:unlock', { pin }, page)))
    expect(pinChecks.count).toBeLessThanOrEqual(5)
    expect(answers[45]).toBe('PIN_LOCKED')
    expect(answers.filter((answer) => answer === 'ok')).toHaveLength(0)
    expect(await invoke('sync:dead-letters', null, page)).toBe('ADMIN_REQUIRED')
  })
})
