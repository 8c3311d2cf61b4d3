/**
 * The built renderer's files as both shells serve them (the browser host over HTTP, the Electron
 * kiosk over app://): which file a URL path names, its type, and the headers every answer carries.
 */
import nodePath, { extname, type PlatformPath } from 'node:path'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.bin': 'application/octet-stream',
}

/**
 * On every answer, page or not. The page's own policy is its CSP meta tag; a policy in a header
 * is enforced beside it (a resource must pass both), so the header adds only what a meta tag
 * cannot carry: no other site may frame the kiosk and click through it.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/** The MIME type a renderer file is served with; unknown kinds are opaque bytes. */
export function contentTypeOf(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file under `root` that a URL path (percent-encoded, without query) names, or undefined when
 * it names nothing inside `root`. A path ending in `/` names that folder's index.html. `path` is
 * the platform's path rules (Windows rules can be checked on any machine).
 */
export function rendererFile(
  root: string,
  urlPath: string,
  path: PlatformPath = nodePath,
): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  // Backslashes and colons are separators and drive letters on Windows, NUL ends a path in C:
  // none of them is in a built file's name, so a path carrying one is refused outright.
  if (!decoded.startsWith('/') || /[\\:\0]/.test(decoded)) return undefined
  if (decoded.endsWith('/')) decoded += 'index.html'
  const segments = decoded.slice(1).split('/')
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return undefined
  }
  const file = path.join(root, ...segments)
  const inside = path.relative(root, file)
  if (inside === '' || path.isAbsolute(inside) || inside.split(path.sep)[0] === '..') {
    return undefined
  }
  return file
}
