import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FaceKeyError, loadFaceKey, type KeySealer } from '../../../electron/core/faces/face-key'
import { silentLogger, type Logger } from '../../../electron/core/logger'
import { openTemplate, sealTemplate } from '../../../electron/core/faces/template-crypto'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clockface-key-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A reversible sealer standing in for the OS key store. */
const sealer: KeySealer = {
  seal: (key) => Buffer.from(key.map((b) => b ^ 0x5a)),
  unseal: (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)),
}

describe('face key', () => {
  it('makes a private key file once, warns that it is a file, and reuses it', () => {
    const warnings: string[] = []
    const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) }
    const key = loadFaceKey(dir, undefined, log)
    expect(key).toHaveLength(32)
    expect(statSync(join(dir, 'face-key.bin')).mode & 0o077).toBe(0)
    expect(loadFaceKey(dir, undefined, log).equals(key)).toBe(true)
    expect(warnings[0]).toMatch(/key file/)
  })

  it('moves a file key under the OS key store and removes the plain copy', () => {
    const key = loadFaceKey(dir, undefined, silentLogger)
    expect(loadFaceKey(dir, sealer, silentLogger).equals(key)).toBe(true)
    expect(existsSync(join(dir, 'face-key.bin'))).toBe(false)
    expect(readFileSync(join(dir, 'face-key.sealed')).equals(key)).toBe(false)
    expect(loadFaceKey(dir, sealer, silentLogger).equals(key)).toBe(true)
    expect(() => loadFaceKey(dir, undefined, silentLogger)).toThrow(FaceKeyError)
  })

  it('binds each sealed template to its person and id', () => {
    const key = loadFaceKey(dir, undefined, silentLogger)
    const vector = Float32Array.from({ length: 128 }, (_, i) => i / 128)
    const sealed = sealTemplate(key, 'E1', 't1', vector)
    expect(openTemplate(key, 'E1', 't1', sealed)).toEqual(vector)
    expect(() => openTemplate(key, 'E2', 't1', sealed)).toThrow()
    const tampered = Uint8Array.from(sealed)
    tampered[40]! ^= 1
    expect(() => openTemplate(key, 'E1', 't1', tampered)).toThrow()
  })
})
