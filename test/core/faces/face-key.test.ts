import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FaceKeyError, type KeySealer } from '../../../electron/core/faces/face-key'
import { FaceKeyring } from '../../../electron/core/faces/face-keyring'
import { openTemplate, sealTemplate } from '../../../electron/core/faces/template-crypto'
import { silentLogger, type Logger } from '../../../electron/core/logger'

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
const keyringFile = () => join(dir, 'face-keys.json')
const vector = Float32Array.from({ length: 128 }, (_, i) => i / 128)

describe('face keyring', () => {
  it('makes a private keyring once, warns that its key is a file, and reuses it', () => {
    const warnings: string[] = []
    const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) }
    const [made] = FaceKeyring.open(dir, undefined, log).create(['E1'])
    expect(statSync(keyringFile()).mode & 0o077).toBe(0)
    const again = FaceKeyring.open(dir, undefined, log).dataKey(made!.id, 'E1')
    expect(again?.key.equals(made!.key)).toBe(true)
    expect(warnings[0]).toMatch(/key kept in a file/)
  })

  it('moves a plain face key under the OS key store, and then needs it', () => {
    const [made] = FaceKeyring.open(dir, undefined, silentLogger).create(['E1'])
    const plain = (JSON.parse(readFileSync(keyringFile(), 'utf8')) as { faceKey: object }).faceKey
    const sealed = FaceKeyring.open(dir, sealer, silentLogger)
    expect(sealed.dataKey(made!.id, 'E1')?.key.equals(made!.key)).toBe(true)
    const file = JSON.parse(readFileSync(keyringFile(), 'utf8')) as { faceKey: object }
    expect(Object.keys(file.faceKey)).toEqual(['sealed'])
    expect(JSON.stringify(file)).not.toContain(Object.values(plain)[0] as string)
    expect(() => FaceKeyring.open(dir, undefined, silentLogger)).toThrow(FaceKeyError)
  })

  it('destroys keys durably, and a half-written keyring is never read', () => {
    const ring = FaceKeyring.open(dir, undefined, silentLogger)
    const [a, b] = ring.create(['E1', 'E2'])
    expect(ring.destroy((k) => k.employeeId === 'E1')).toBe(1)
    writeFileSync(`${keyringFile()}.tmp`, readFileSync(keyringFile()))
    const reopened = FaceKeyring.open(dir, undefined, silentLogger)
    expect(existsSync(`${keyringFile()}.tmp`)).toBe(false)
    expect(reopened.dataKey(a!.id, 'E1')).toBeNull()
    expect(reopened.dataKey(b!.id, 'E2')?.key.equals(b!.key)).toBe(true)
    expect(readFileSync(keyringFile(), 'utf8')).not.toContain(a!.id)
  })

  it('refuses a damaged keyring with a clear error', () => {
    FaceKeyring.open(dir, undefined, silentLogger)
    writeFileSync(keyringFile(), '{"format":"clockface-face-keys/1","faceKey":{}}')
    expect(() => FaceKeyring.open(dir, undefined, silentLogger)).toThrow(
      /face-keys.json is not a usable face keyring/,
    )
  })

  it('binds each data key to its person, and each template to its person, id and key', () => {
    const ring = FaceKeyring.open(dir, undefined, silentLogger)
    const [key, other] = ring.create(['E1', 'E2'])
    expect(() => ring.dataKey(key!.id, 'E2')).not.toThrow()
    expect(ring.dataKey(key!.id, 'E2')).toBeNull()
    const sealed = sealTemplate(key!, 't1', vector)
    expect(openTemplate(key!, 't1', sealed)).toEqual(vector)
    expect(() => openTemplate(key!, 't2', sealed)).toThrow()
    expect(() => openTemplate({ ...key!, employeeId: 'E2' }, 't1', sealed)).toThrow()
    expect(() => openTemplate(other!, 't1', sealed)).toThrow()
    const tampered = Uint8Array.from(sealed)
    tampered[60]! ^= 1
    expect(() => openTemplate(key!, 't1', tampered)).toThrow()

    // A wrapped key moved to another person's entry does not unwrap.
    const file = JSON.parse(readFileSync(keyringFile(), 'utf8')) as {
      dataKeys: { employeeId: string }[]
    }
    file.dataKeys[0]!.employeeId = 'E9'
    writeFileSync(keyringFile(), JSON.stringify(file))
    expect(() => FaceKeyring.open(dir, undefined, silentLogger).dataKey(key!.id, 'E9')).toThrow()
  })
})
