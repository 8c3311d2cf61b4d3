/**
 * Where the face key comes from. In the Electron kiosk main seals it with the OS key store
 * (safeStorage); the browser host and the CLI keep it in a file readable only by this user,
 * which protects a copied database but not a copied data folder, and they say so at start.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../logger'

/** Seals and unseals the face key with something stronger than a file (Electron: safeStorage). */
export interface KeySealer {
  seal(key: Buffer): Buffer
  unseal(sealed: Buffer): Buffer
}

export class FaceKeyError extends Error {
  override name = 'FaceKeyError'
}

/** The data folder's 32-byte face key, created on first use. */
export function loadFaceKey(dataDir: string, sealer: KeySealer | undefined, log: Logger): Buffer {
  const plainFile = join(dataDir, 'face-key.bin')
  const sealedFile = join(dataDir, 'face-key.sealed')
  if (sealer) {
    if (existsSync(sealedFile)) return sealer.unseal(readFileSync(sealedFile))
    const key = existsSync(plainFile) ? readKeyFile(plainFile) : randomBytes(32)
    writeFileSync(sealedFile, sealer.seal(key), { mode: 0o600 })
    // The key now lives only sealed; the plain copy a browser-host run may have left goes.
    if (existsSync(plainFile)) unlinkSync(plainFile)
    return key
  }
  if (existsSync(sealedFile)) {
    throw new FaceKeyError(
      "face data in this folder is sealed by the kiosk's OS key store; use the kiosk itself " +
        '(admin mode) to enrol or read faces',
    )
  }
  log.warn(
    'face templates are encrypted with a key file beside them (face-key.bin); the Electron ' +
      'kiosk seals the key with the OS key store instead',
  )
  if (!existsSync(plainFile)) writeFileSync(plainFile, randomBytes(32), { mode: 0o600 })
  chmodSync(plainFile, 0o600)
  return readKeyFile(plainFile)
}

function readKeyFile(file: string): Buffer {
  const key = readFileSync(file)
  if (key.length !== 32) throw new FaceKeyError(`${file} is not a 32-byte key`)
  return key
}
