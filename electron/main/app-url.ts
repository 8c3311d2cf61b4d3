/** The kiosk's own page: the only URL that may load, call main and use the camera. */
import { isAbsolute, normalize } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export interface AppUrl {
  /** The URL the kiosk window loads. */
  entry: string
  /** True for the app's own page (any hash or query), false for anything else. */
  owns(url: string | undefined): boolean
}

/**
 * The built renderer as a file URL, or the electron-vite dev server when `devServer` is set
 * (electron-vite sets ELECTRON_RENDERER_URL only under `electron-vite dev`).
 */
export function resolveAppUrl(rendererHtml: string, devServer?: string): AppUrl {
  if (devServer) {
    const origin = new URL(devServer).origin
    return { entry: devServer, owns: (url) => parse(url)?.origin === origin }
  }
  if (!isAbsolute(rendererHtml)) throw new Error(`renderer path must be absolute: ${rendererHtml}`)
  const page = comparable(rendererHtml)
  return {
    entry: pathToFileURL(rendererHtml).href,
    // Every file:// page shares the opaque origin "file://", so the exact document path is
    // compared: another local HTML file must never count as the app.
    owns: (url) => {
      const parsed = parse(url)
      if (parsed?.protocol !== 'file:' || parsed.host !== '') return false
      try {
        return comparable(fileURLToPath(parsed)) === page
      } catch {
        return false
      }
    },
  }
}

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

function comparable(path: string): string {
  const normalized = normalize(path)
  // Windows paths are case-insensitive; Chromium and Node may disagree on the drive letter case.
  return process.platform === 'win32' ? normalized.toLowerCase() : normalized
}
