/** Serves the built renderer's files; nothing outside its folder is reachable. */
import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

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

/** Answers GET for a path under `root`, or 404. `/` is index.html. */
export function serveStatic(root: string, urlPath: string, res: ServerResponse): void {
  let relative: string
  try {
    relative = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return notFound(res)
  }
  if (relative.endsWith('/')) relative += 'index.html'
  const file = normalize(join(root, relative))
  if (!file.startsWith(normalize(root + sep)) || relative.includes('\0')) return notFound(res)
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) return notFound(res)
    size = stat.size
  } catch {
    return notFound(res)
  }
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  })
  createReadStream(file).pipe(res)
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
}
