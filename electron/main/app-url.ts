/** The kiosk's own page: the only URL that may load, call main and use the camera. */

/** The scheme and host the built renderer is served from (see app-protocol.ts). */
export const appScheme = 'app'
export const appHost = 'clockface'

export interface AppUrl {
  /** The URL the kiosk window loads. */
  entry: string
  /** True for a URL of the app's own origin (any path, hash or query), false for anything else. */
  owns(url: string | undefined): boolean
}

/**
 * The built renderer at app://clockface/, or the electron-vite dev server when `devServer` is set
 * (electron-vite sets ELECTRON_RENDERER_URL only under `electron-vite dev`).
 */
export function resolveAppUrl(devServer?: string): AppUrl {
  if (devServer) {
    const origin = new URL(devServer).origin
    return { entry: devServer, owns: (url) => parse(url)?.origin === origin }
  }
  return {
    entry: `${appScheme}://${appHost}/index.html`,
    // Node gives custom schemes an opaque origin, so the parts are compared: no user name, no
    // port, exactly this host. file:// pages, the built page opened from disk included, never match.
    owns: (url) => {
      const parsed = parse(url)
      return (
        parsed?.protocol === `${appScheme}:` &&
        parsed.host === appHost &&
        parsed.username === '' &&
        parsed.password === ''
      )
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
