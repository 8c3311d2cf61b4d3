/**
 * Files shipped inside the renderer build (face models, tfjs wasm binaries), read from the app
 * itself and never from the network: app://clockface/ in the Electron kiosk, the browser host's
 * own origin in a browser.
 */

/** Absolute URL of a file under the renderer build, e.g. `face/models/x.bin`. */
export function appFileUrl(path: string): string {
  return new URL(path, document.baseURI).href
}

/** The bytes of one shipped file; rejects when the build lacks it. */
export async function readAppFile(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url} is missing from the app (HTTP ${response.status})`)
  return response.arrayBuffer()
}

/** A shipped JSON file. */
export async function readAppJson<T>(url: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await readAppFile(url))) as T
}
