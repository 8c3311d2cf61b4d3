/**
 * The app:// scheme: the built renderer served from the app's own files (inside app.asar), so the
 * kiosk page never runs from file:// and file:// needs no extra privileges (see the fuses in
 * electron-builder.yml).
 */
import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { contentTypeOf, rendererFile, securityHeaders } from '../core/renderer-files'
import { appHost, appScheme } from './app-url'

/** Declares app:// a privileged scheme; Electron accepts this only before the app is ready. */
export function registerAppScheme(): void {
  // standard: an origin of its own and relative URLs; secure: a secure context, which the camera
  // needs; supportFetchAPI: the face models and tfjs wasm are fetched. Nothing else: no
  // corsEnabled (no other origin may read the app's files), no bypassCSP, no service workers.
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves `rendererDir` (out/renderer) at app://clockface/; call once the app is ready. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, (request) => answer(rendererDir, request))
}

async function answer(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET') return refusal(405, 'Only GET here.', { allow: 'GET' })
  const url = new URL(request.url)
  if (url.host !== appHost) return notFound()
  const file = rendererFile(rendererDir, url.pathname)
  if (!file) return notFound()
  let body: Buffer
  try {
    // Electron's fs reads inside app.asar; a folder or a missing file is simply not there.
    body = await readFile(file)
  } catch {
    return notFound()
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      ...securityHeaders,
      'content-type': contentTypeOf(file),
      'cache-control': 'no-cache',
    },
  })
}

function notFound(): Response {
  return refusal(404, 'Not found')
}

function refusal(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8', ...headers },
  })
}
