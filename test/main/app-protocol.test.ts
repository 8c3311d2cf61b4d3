/**
 * The app:// scheme at the electron edge: the handler main registers is called with Request
 * objects, as Chromium's network service would, against real files in a temp renderer folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { registerAppScheme, serveRenderer } from '../../electron/main/app-protocol'
import { app, protocol, resetElectronStub } from './electron-stub'

// The smallest valid WebAssembly module: magic number and version.
const wasmModule = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
// The node tsconfig has no DOM lib, whose types declare the streaming WebAssembly API.
const wasm = (globalThis as unknown as { WebAssembly: WasmStreaming }).WebAssembly
interface WasmStreaming {
  Module: new (bytes: Uint8Array) => object
  compileStreaming(source: Response): Promise<object>
}
const secret = 'punch journal, not for the screen'
let base: string
let rendererDir: string

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'clockface-app-'))
  rendererDir = join(base, 'renderer')
  const files: Record<string, string | Buffer> = {
    'index.html': '<!doctype html><title>Clockface</title>',
    'assets/index-a1b2.js': 'export const kiosk = 1',
    'assets/index-a1b2.css': 'body{margin:0}',
    'face/models/face_recognition_model-weights_manifest.json': '[{"paths":["x.bin"]}]',
    'face/models/face_recognition_model.bin': Buffer.from([1, 2, 3, 4]),
    'face/wasm/tfjs-backend-wasm-simd.wasm': wasmModule,
  }
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(rendererDir, path, '..'), { recursive: true })
    await writeFile(join(rendererDir, path), content)
  }
  await writeFile(join(base, 'secret.txt'), secret)
})
afterAll(() => rm(base, { recursive: true, force: true }))

beforeEach(resetElectronStub)

/** Registers the scheme as main does (before ready), serves, and returns the registered handler. */
async function handler() {
  registerAppScheme()
  await app.whenReady()
  serveRenderer(rendererDir)
  const registered = protocol.handlers.get('app')
  if (!registered) throw new Error('no handler registered for app://')
  return (url: string, init?: RequestInit) => Promise.resolve(registered(new Request(url, init)))
}

describe('the app:// scheme', () => {
  it('is standard, secure and fetchable, and nothing more', () => {
    registerAppScheme()
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
  })

  it('serves the page, at / and by name, with the security headers', async () => {
    const get = await handler()
    for (const url of ['app://clockface/', 'app://clockface/index.html?x=1#/admin']) {
      const res = await get(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await res.text()).toBe('<!doctype html><title>Clockface</title>')
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })

  it.each([
    ['assets/index-a1b2.js', 'text/javascript; charset=utf-8'],
    ['assets/index-a1b2.css', 'text/css; charset=utf-8'],
    ['face/models/face_recognition_model-weights_manifest.json', 'application/json; charset=utf-8'],
    ['face/models/face_recognition_model.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const res = await (await handler())(`app://clockface/${path}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(type)
  })

  it('serves wasm byte for byte as application/wasm, so it compiles as a stream', async () => {
    const get = await handler()
    const res = await get('app://clockface/face/wasm/tfjs-backend-wasm-simd.wasm')
    expect(res.headers.get('content-type')).toBe('application/wasm')
    // compileStreaming refuses any other MIME type, as Chromium's does.
    await expect(wasm.compileStreaming(res)).resolves.toBeInstanceOf(wasm.Module)
    const again = await get('app://clockface/face/models/face_recognition_model.bin')
    expect(Buffer.from(await again.arrayBuffer())).toEqual(Buffer.from([1, 2, 3, 4]))
  })

  it('answers 404 for what the build does not have', async () => {
    const get = await handler()
    for (const path of ['missing.js', 'face/', 'face', 'assets/index-a1b2.js/x']) {
      expect((await get(`app://clockface/${path}`)).status, path).toBe(404)
    }
  })

  it.each([
    'app://clockface/../secret.txt',
    'app://clockface/%2e%2e/secret.txt',
    'app://clockface/%2E%2E%2Fsecret.txt',
    'app://clockface/face/..%2f..%2fsecret.txt',
    'app://clockface/..%5csecret.txt',
    'app://clockface/face\\..\\..\\secret.txt',
    'app://clockface/%2e%2e%5csecret.txt',
    'app://clockface/index.html%00.js',
    'app://clockface/C:%5cWindows%5cwin.ini',
    'app://clockface/C:/Windows/win.ini',
  ])('keeps %s inside the renderer folder (404)', async (url) => {
    const res = await (await handler())(url)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain(secret)
  })

  it('does not serve absolute paths, however they are spelt', async () => {
    const get = await handler()
    const outside = join(base, 'secret.txt')
    for (const path of [outside, encodeURIComponent(outside), `/${outside}`]) {
      const res = await get(`app://clockface/${path.replace(/^\//, '')}`)
      expect(res.status, path).toBe(404)
      expect(await res.text()).not.toContain(secret)
    }
    const doubled = await get(`app://clockface//${outside.replace(/^\//, '')}`)
    expect(doubled.status).toBe(404)
  })

  it.each([
    'app://evil.example/index.html',
    'app://clockface.evil.example/index.html',
    'app://clockface:8080/index.html',
  ])('answers 404 to another host: %s', async (url) => {
    expect((await (await handler())(url)).status).toBe(404)
  })

  it.each(['POST', 'PUT', 'DELETE', 'HEAD'])('answers %s with 405: only GET', async (method) => {
    const res = await (await handler())('app://clockface/index.html', { method })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
  })
})
