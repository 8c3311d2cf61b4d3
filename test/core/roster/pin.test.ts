import { describe, expect, it } from 'vitest'
import { hashPin, isValidPin, verifyPin } from '../../../electron/core/roster/pin'
import { PinLockout } from '../../../electron/core/roster/pin-lockout'

describe('PINs', () => {
  it('are stored as salted hashes that verify only the right PIN', async () => {
    const a = hashPin('1234')
    expect(a).not.toContain('1234')
    expect(a).not.toBe(hashPin('1234'))
    expect(await verifyPin('1234', a)).toBe(true)
    expect(await verifyPin('1235', a)).toBe(false)
    expect(await verifyPin('1234', 'garbage')).toBe(false)
  })

  it('are 4 to 8 digits', () => {
    expect(isValidPin('0042')).toBe(true)
    expect(isValidPin('123')).toBe(false)
    expect(isValidPin('12a4')).toBe(false)
  })

  it('lock a person out after too many wrong tries, for a while', () => {
    const lockout = new PinLockout(5, 60_000)
    for (let i = 4; i >= 1; i--) expect(lockout.recordFailure('E1', 0)).toBe(i)
    expect(lockout.lockedUntil('E1', 0)).toBeUndefined()
    expect(lockout.recordFailure('E1', 10)).toBe(0)
    expect(lockout.lockedUntil('E1', 59_999)).toBe(60_010)
    expect(lockout.lockedUntil('E2', 100)).toBeUndefined()
    expect(lockout.lockedUntil('E1', 60_010)).toBeUndefined()
    expect(lockout.recordFailure('E1', 60_011)).toBe(4)
  })
})
