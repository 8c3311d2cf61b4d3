import { describe, expect, it } from 'vitest'
import { ScanDetector, type ScanResult } from '../../../renderer/src/badge/scan-detector'

const options = { minLength: 4, maxLength: 12, maxKeyIntervalMs: 50 }

/** Presses keys `gapMs` apart starting at `start`; returns the result of the last key. */
function type(detector: ScanDetector, keys: string[], gapMs: number, start = 1000) {
  let result: ScanResult | null = null
  keys.forEach((key, i) => {
    result = detector.press(key, start + i * gapMs)
  })
  return result
}

const keysOf = (text: string) => [...text, 'Enter']

describe('ScanDetector', () => {
  it('accepts a burst at reader speed ended by Enter', () => {
    const detector = new ScanDetector(options)
    expect(type(detector, keysOf('00412345'), 8)).toEqual({ kind: 'badge', badge: '00412345' })
  })

  it('accepts keystrokes exactly at the configured interval', () => {
    const detector = new ScanDetector(options)
    expect(type(detector, keysOf('A1-77'), 50)).toEqual({ kind: 'badge', badge: 'A1-77' })
  })

  it('ignores the same text typed at human speed', () => {
    const detector = new ScanDetector(options)
    expect(type(detector, keysOf('00412345'), 180)).toBeNull()
  })

  it('ignores Enter on its own', () => {
    const detector = new ScanDetector(options)
    expect(detector.press('Enter', 10)).toBeNull()
    expect(detector.press('Enter', 15)).toBeNull()
  })

  it('ignores a slow Enter after a fast burst', () => {
    const detector = new ScanDetector(options)
    type(detector, [...'00412345'], 5)
    expect(detector.press('Enter', 1000 + 7 * 5 + 400)).toBeNull()
  })

  it('starts over after a gap, so only the fast tail counts', () => {
    const detector = new ScanDetector(options)
    type(detector, [...'999'], 5, 0)
    // 300 ms later a reader types a full badge: the earlier keys must not be glued on.
    expect(type(detector, keysOf('12345678'), 5, 300)).toEqual({ kind: 'badge', badge: '12345678' })
  })

  it('ignores a person who types a digit and quickly hits Enter', () => {
    const detector = new ScanDetector(options)
    expect(type(detector, ['7', 'Enter'], 20)).toBeNull()
  })

  it('calls a fast burst that is too short or too long unreadable', () => {
    const detector = new ScanDetector(options)
    expect(type(detector, keysOf('123'), 5)).toEqual({ kind: 'unreadable' })
    expect(type(detector, keysOf('1234567890123'), 5, 5000)).toEqual({ kind: 'unreadable' })
  })

  it('calls a fast burst with control keys in it unreadable', () => {
    const detector = new ScanDetector(options)
    expect(type(detector, ['1', '2', 'Tab', '3', '4', '5', 'Enter'], 5)).toEqual({
      kind: 'unreadable',
    })
  })

  it('lets Shift pass between characters, as readers do for capitals', () => {
    const detector = new ScanDetector(options)
    const keys = ['Shift', 'A', 'Shift', 'B', '1', '2', 'Enter']
    expect(type(detector, keys, 5)).toEqual({ kind: 'badge', badge: 'AB12' })
  })

  it('follows new settings and reads its injected clock when a key carries no time', () => {
    let now = 0
    const detector = new ScanDetector({ ...options, now: () => now })
    detector.configure({ minLength: 2, maxLength: 6, maxKeyIntervalMs: 100 })
    const pressEvery = (gapMs: number, keys: string[]) =>
      keys.map((key) => {
        now += gapMs
        return detector.press(key)
      })

    // 90 ms apart counts as a reader under a 100 ms interval, and 2 characters are enough now.
    expect(pressEvery(90, keysOf('Q7')).at(-1)).toEqual({ kind: 'badge', badge: 'Q7' })
    expect(pressEvery(150, keysOf('Q7')).at(-1)).toBeNull()
  })
})
