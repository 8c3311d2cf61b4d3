import { afterEach, describe, expect, it, vi } from 'vitest'
import { hashPin, isValidPin, verifyPin } from '../../../electron/core/roster/pin'
import { ErrorCode } from '../../../electron/shared/errors'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'
import { pinChecks } from '../../fixtures/pin-checks'

vi.mock('../../../electron/core/roster/pin', async (importOriginal) =>
  (await import('../../fixtures/pin-checks')).countingPinChecks(await importOriginal()),
)

let t: TestKiosk | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

async function kiosk(): Promise<TestKiosk> {
  t = await openTestKiosk()
  t.importCsv(sampleRosterCsv)
  pinChecks.count = 0
  return t
}

const punchByPin = (pin: string) => t!.kiosk.gate('attendance:pin', { employeeId: 'E001', pin })
const codeOf = (answer: { ok: boolean; error?: { code: string } }) =>
  answer.ok ? 'ok' : answer.error!.code
const punchCount = () => t!.kiosk.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM punches')!.n
const audit = (action: string) =>
  t!.kiosk.store.all<{ subject: string; detail: string | null }>(
    'SELECT subject, detail FROM audit WHERE action = ? ORDER BY seq',
    [action],
  )

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
})

describe('PIN lockout', () => {
  it('locks a person out after too many wrong tries, for a while', async () => {
    await kiosk()
    for (let left = 4; left >= 1; left--) {
      expect(await punchByPin('0000')).toMatchObject({
        ok: false,
        error: { code: ErrorCode.PinWrong, details: { attemptsLeft: left } },
      })
    }
    const locking = await punchByPin('0000')
    expect(locking).toMatchObject({ ok: false, error: { code: ErrorCode.PinLocked } })
    expect(codeOf(await punchByPin('1234'))).toBe(ErrorCode.PinLocked)
    expect(
      await t!.kiosk.gate('attendance:pin', { employeeId: 'E002', pin: '1111' }),
    ).toMatchObject({ error: { code: ErrorCode.PinNotSet } })
    t!.clock.advance(5 * 60_000)
    expect(codeOf(await punchByPin('1234'))).toBe('ok')
    expect(pinChecks.count).toBe(6)
  })

  it('checks at most pin.maxAttempts of 100 guesses sent at once; the right one as the 46th is refused', async () => {
    await kiosk()
    const guesses = Array.from({ length: 100 }, (_, i) => (i === 45 ? '1234' : String(5000 + i)))
    const answers = await Promise.all(guesses.map(punchByPin))
    expect(pinChecks.count).toBeLessThanOrEqual(5)
    expect(codeOf(answers[45]!)).toBe(ErrorCode.PinLocked)
    expect(answers.map(codeOf).filter((code) => code === ErrorCode.PinWrong)).toHaveLength(4)
    expect(answers.map(codeOf).filter((code) => code === ErrorCode.PinLocked)).toHaveLength(96)
    expect(punchCount()).toBe(0)
    expect(audit('pin.locked')).toEqual([{ subject: 'E001', detail: null }])
  })

  it('keeps the count and the lock across a restart on the same data folder', async () => {
    await kiosk()
    for (let i = 0; i < 3; i++) await punchByPin('0000')
    await t!.reopen()
    expect(await punchByPin('0000')).toMatchObject({
      error: { code: ErrorCode.PinWrong, details: { attemptsLeft: 1 } },
    })
    expect(codeOf(await punchByPin('0000'))).toBe(ErrorCode.PinLocked)
    await t!.reopen()
    pinChecks.count = 0
    expect(codeOf(await punchByPin('1234'))).toBe(ErrorCode.PinLocked)
    expect(pinChecks.count).toBe(0)
    t!.clock.advance(5 * 60_000)
    expect(codeOf(await punchByPin('1234'))).toBe('ok')
    await t!.reopen()
    expect(await punchByPin('0000')).toMatchObject({ error: { details: { attemptsLeft: 4 } } })
  })

  it('never writes a PIN or its hash to the store outside the roster', async () => {
    await kiosk()
    for (let i = 0; i < 5; i++) await punchByPin('731594')
    const rows = JSON.stringify(t!.kiosk.store.all('SELECT * FROM audit'))
    const hash = t!.kiosk.store.get<{ pin_hash: string }>(
      `SELECT pin_hash FROM employees WHERE id = 'E001'`,
    )!.pin_hash
    expect(rows).not.toContain('731594')
    expect(rows).not.toContain(hash.split('$')[5])
  })
})
