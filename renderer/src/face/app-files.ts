/**
 * Files shipped inside the renderer build (face models, tfjs wasm binaries), read from the app
 * itself and never from the network. The packaged app runs from file://, where Chromium refuses
 * fetch() but still allows XMLHttpRequest for the page's own files; the browser host uses fetch.
 */

/** Absolute URL of a file under the renderer build, e.g. `face/models/x.bin`. */
export function appFileUrl(path: string): string {
  return new URL(path, document.baseURI).href
}

function readByXhr(url: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('GET', url)
    request.responseType = 'arraybuffer'
    request.onload = () =>
      request.response instanceof ArrayBuffer && request.response.byteLength > 0
        ? resolve(request.response)
        : reject(new Error(`${url} is missing from the app`))
    request.onerror = () => reject(new Error(`${url} could not be read`))
    request.send()
  })
}

/** The bytes of one shipped file; rejects when the build lacks it. */
export async function readAppFile(url: string): Promise<ArrayBuffer> {
  if (new URL(url).protocol === 'file:') return readByXhr(url)
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url} is missing from the app (HTTP ${response.status})`)
  return response.arrayBuffer()
}

/** A shipped JSON file. */
export async function readAppJson<T>(url: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await readAppFile(url))) as T
}
