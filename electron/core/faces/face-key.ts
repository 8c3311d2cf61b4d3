/**
 * The face key wraps every person's data key. In the Electron kiosk main seals it with the OS
 * key store (safeStorage); the browser host and the CLI keep it plain in the keyring file,
 * readable only by this user, which protects a copied database but not a copied data folder,
 * and they say so at start. The previous version's single key file is read once, to move its
 * templates to per-person keys, and then destroyed.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../logger'
import { fsyncDirectory } from '../store/store-files.mjs'

/** Seals and unseals the face key with something stronger than a file (Electron: safeStorage). */
export interface KeySealer {
  seal(key: Buffer): Buffer
  unseal(sealed: Buffer): Buffer
}

export class FaceKeyError extends Error {
  override name = 'FaceKeyError'
}

/** The face key as the keyring file keeps it: sealed by the OS, or plain (base64). */
export type StoredFaceKey = { sealed: string } | { plain: string }

const sealedElsewhere =
  "face data in this folder is sealed by the kiosk's OS key store; use the kiosk itself " +
  '(admin mode) to enrol or read faces'

/** The face key in the form it is kept, sealed whenever a sealer is there. */
export function storeFaceKey(key: Buffer, sealer: KeySealer | undefined): StoredFaceKey {
  return sealer
    ? { sealed: sealer.seal(key).toString('base64') }
    : { plain: key.toString('base64') }
}

/** The face key back from its kept form; refuses a sealed key without the sealer. */
export function unstoreFaceKey(stored: StoredFaceKey, sealer: KeySealer | undefined): Buffer {
  if ('sealed' in stored) {
    if (!sealer) throw new FaceKeyError(sealedElsewhere)
    return checkedKey(sealer.unseal(Buffer.from(stored.sealed, 'base64')), 'the sealed face key')
  }
  return checkedKey(Buffer.from(stored.plain, 'base64'), 'the face key')
}

/** Says at start that the face key sits in a file beside the data. */
export function warnPlainFaceKey(log: Logger): void {
  log.warn(
    'face templates are encrypted with a key kept in a file beside them (face-keys.json); the ' +
      'Electron kiosk seals the key with the OS key store instead',
  )
}

const legacyPlain = 'face-key.bin'
const legacySealed = 'face-key.sealed'

/** The previous version's single face key, if its file is still in the data folder. */
export function readLegacyFaceKey(dataDir: string, sealer: KeySealer | undefined): Buffer | null {
  const sealedFile = join(dataDir, legacySealed)
  if (existsSync(sealedFile)) {
    if (!sealer) throw new FaceKeyError(sealedElsewhere)
    return checkedKey(sealer.unseal(readFileSync(sealedFile)), sealedFile)
  }
  const plainFile = join(dataDir, legacyPlain)
  return existsSync(plainFile) ? checkedKey(readFileSync(plainFile), plainFile) : null
}

/** Deletes the previous version's face key files; what it encrypted can no longer be read. */
export function destroyLegacyFaceKey(dataDir: string): boolean {
  let destroyed = false
  for (const name of [legacyPlain, legacySealed]) {
    const file = join(dataDir, name)
    if (!existsSync(file)) continue
    unlinkSync(file)
    destroyed = true
  }
  if (destroyed) fsyncDirectory(dataDir)
  return destroyed
}

function checkedKey(key: Buffer, what: string): Buffer {
  if (key.length !== 32) throw new FaceKeyError(`${what} is not a 32-byte key`)
  return key
}
