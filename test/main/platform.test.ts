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
