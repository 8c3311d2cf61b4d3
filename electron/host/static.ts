/** Serves the built renderer's files; nothing outside its folder is reachable. */
import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { contentTypeOf, rendererFile } from '../core/renderer-files'

/** Answers GET for a path under `root`, or 404. `/` is index.html. */
export function serveStatic(root: string, urlPath: string, res: ServerResponse): void {
  const file = rendererFile(root, urlPath.split('?')[0] ?? '/')
  if (!file) return notFound(res)
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) return notFound(res)
    size = stat.size
  } catch {
    return notFound(res)
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': size,
    'cache-control': 'no-cache',
  })
  createReadStream(file).pipe(res)
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
}
