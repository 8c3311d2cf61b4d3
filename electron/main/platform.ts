/** Adapts the main process's clocks and key store to the interfaces core expects. */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { safeStorage } from 'electron'
import type { KeySealer } from '../core/faces/face-key'
import type { KioskPlatform } from '../core/platform'

/** Wall clock from Date.now, monotonic clock from performance.now, a fresh id per launch. */
export function electronPlatform(): KioskPlatform {
  return {
    now: () => Date.now(),
    // performance.now is monotonic within this process, hence the bootId to compare readings.
    monotonic: () => performance.now(),
    bootId: randomUUID(),
  }
}

/**
 * Seals the face key with the OS key store (DPAPI, Keychain, libsecret), so a copied data
 * folder does not carry a usable key. Undefined where no key store is available: core then
 * keeps the key in a file and says so.
 */
export function electronKeySealer(): KeySealer | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  return {
    seal: (key) => safeStorage.encryptString(key.toString('base64')),
    unseal: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  }
}
