import { posix, win32 } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentTypeOf, rendererFile } from '../../electron/core/renderer-files'

const platforms = [
  { name: 'posix', path: posix, root: '/opt/clockface/out/renderer' },
  {
    name: 'Windows',
    path: win32,
    root: 'C:\\Program Files\\Clockface\\resources\\app.asar\\out\\renderer',
  },
]

describe.each(platforms)('rendererFile ($name path rules)', ({ path, root }) => {
  it("maps the build's own paths inside the renderer folder", () => {
    expect(rendererFile(root, '/', path)).toBe(path.join(root, 'index.html'))
    expect(rendererFile(root, '/face/wasm/tfjs-backend-wasm.wasm', path)).toBe(
      path.join(root, 'face', 'wasm', 'tfjs-backend-wasm.wasm'),
    )
    expect(rendererFile(root, '/assets/a%20b.js', path)).toBe(path.join(root, 'assets', 'a b.js'))
  })

  it.each([
    '/../secret.txt',
    '/face/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2f..%2fsecret.txt',
    '/..%5c..%5csecret.txt',
    '/face\\..\\..\\secret.txt',
    '//etc/passwd',
    '/C:/Windows/win.ini',
    '/C:%5cWindows%5cwin.ini',
    '/%5c%5cserver%5cshare%5cx',
    '/index.html%00.js',
    '/index.html::$DATA',
    '/%E0%A4%A',
    'relative.js',
    '',
  ])('names nothing for %j', (urlPath) => {
    expect(rendererFile(root, urlPath, path)).toBeUndefined()
  })
})

describe('contentTypeOf', () => {
  it('types what the build ships, wasm included, and nothing by guesswork', () => {
    expect(contentTypeOf('x/tfjs-backend-wasm-simd.wasm')).toBe('application/wasm')
    expect(contentTypeOf('x/INDEX.HTML')).toBe('text/html; charset=utf-8')
    expect(contentTypeOf('x/model.bin')).toBe('application/octet-stream')
    expect(contentTypeOf('x/unknown.exe')).toBe('application/octet-stream')
  })
})
