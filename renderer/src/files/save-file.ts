/** Hands a file made by main to the person as a download: a Blob and an `<a download>` click. */

/** Saves `bytes` under `fileName`; the object URL is released once the click has been handled. */
export function saveFile(fileName: string, mimeType: string, bytes: BlobPart): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in Chromium before it has read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** Saves a base64 payload (an XLSX or CSV file from main) under `fileName`. */
export function saveBase64File(fileName: string, mimeType: string, base64: string): void {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  saveFile(fileName, mimeType, bytes)
}
