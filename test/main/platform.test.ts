import { describe, expect, it } from 'vitest'
import { electronPlatform } from '../../electron/main/platform'

describe('electronPlatform', () => {
  it('reads the wall clock and a monotonic clock that never goes back', () => {
    const platform = electronPlatform()
    expect(Math.abs(platform.now() - Date.now())).toBeLessThan(1_000)
    const readings = Array.from({ length: 1_000 }, () => platform.monotonic())
    expect(readings.every((reading, i) => i === 0 || reading >= readings[i - 1]!)).toBe(true)
  })

  it('gives each launch its own boot id', () => {
    expect(electronPlatform().bootId).not.toBe(electronPlatform().bootId)
  })
})

describe('electronKeySealer', () => {
  it('seals the face key with the OS key store and opens it again', async () => {
    const { electronKeySealer } = await import('../../electron/main/platform')
    const stub = await import('./electron-stub')
    const sealer = electronKeySealer()!
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i))
    const sealed = sealer.seal(key)
    expect(sealed.includes(key)).toBe(false)
    expect(stub.safeStorage.encryptString).toHaveBeenCalled()
    expect(sealer.unseal(sealed).equals(key)).toBe(true)
  })

  it('is absent where the OS has no key store, so core falls back to a key file', async () => {
    const { electronKeySealer } = await import('../../electron/main/platform')
    const stub = await import('./electron-stub')
    stub.safeStorage.available = false
    try {
      expect(electronKeySealer()).toBeUndefined()
    } finally {
      stub.safeStorage.available = true
    }
  })
})
