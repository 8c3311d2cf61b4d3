/**
 * Admin mode through a real kiosk's gate: it belongs to the screen that opened it, ends when
 * idle and at an absolute limit however busy, is audited, and its PIN lockout holds under
 * concurrent guesses and across restarts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Caller } from '../../../electron/core/gate'
import { hashPin } from '../../../electron/core/roster/pin'
import { ErrorCode } from '../../../electron/shared/errors'
import { openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'
import { pinChecks } from '../../fixtures/pin-checks'

vi.mock('../../../electron/core/roster/pin', async (importOriginal) =>
  (await import('../../fixtures/pin-checks')).countingPinChecks(await importOriginal()),
)

const minute = 60_000
const screenA: Caller = { id: 'screen-a' }
const screenB: Caller = { id: 'screen-b' }
const nobody: Caller = { id: null }
const adminPinHash = hashPin('2468')

let t: TestKiosk | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

async function kiosk(): Promise<TestKiosk> {
  t = await openTestKiosk({ adminPinHash })
  pinChecks.count = 0
  return t
}

async function code(channel: string, payload: unknown, caller: Caller): Promise<string> {
  const answer = await t!.kiosk.gate(channel, payload, caller)
  return answer.ok ? 'ok' : answer.error.code
}
const unlock = (pin: string, caller: Caller) => code('admin:unlock', { pin }, caller)
const deadLetters = (caller: Caller) => code('sync:dead-letters', null, caller)
const audit = () =>
  t!.kiosk.store.all<{ at: number; actor: string; action: string; detail: string | null }>(
    `SELECT at, actor, action, detail FROM audit WHERE action LIKE 'admin.%' ORDER BY seq`,
  )

describe('admin mode', () => {
  it('belongs to the screen that opened it', async () => {
    await kiosk()
    expect(await unlock('2468', screenA)).toBe('ok')
    expect(await deadLetters(screenA)).toBe('ok')
    expect(await deadLetters(screenB)).toBe(ErrorCode.AdminRequired)
    expect(await deadLetters(nobody)).toBe(ErrorCode.AdminRequired)
    expect(await code('faces:people', { query: '' }, screenB)).toBe(ErrorCode.AdminRequired)
    expect(await code('admin:lock', null, screenB)).toBe('ok')
    expect(await deadLetters(screenA)).toBe('ok')
    expect(await code('admin:lock', null, screenA)).toBe('ok')
    expect(await deadLetters(screenA)).toBe(ErrorCode.AdminRequired)
  })

  it('cannot be opened by a caller whose screen is unknown, and its guesses are not checked', async () => {
    await kiosk()
    expect(await unlock('2468', nobody)).toBe(ErrorCode.ForbiddenSender)
    expect(pinChecks.count).toBe(0)
    expect(await unlock('2468', screenA)).toBe('ok')
  })

  it('ends after 5 idle minutes, and 30 minutes after unlock however busy', async () => {
    await kiosk()
    const opened = t!.clock.now
    const session = await t!.kiosk.gate('admin:unlock', { pin: '2468' }, screenA)
    expect(session).toMatchObject({
      ok: true,
      value: {
        expiresAt: new Date(opened + 5 * minute).toISOString(),
        endsAt: new Date(opened + 30 * minute).toISOString(),
      },
    })
    for (let elapsed = 4; elapsed <= 28; elapsed += 4) {
      t!.clock.advance(4 * minute)
      expect(await deadLetters(screenA), `${elapsed} minutes in`).toBe('ok')
    }
    t!.clock.advance(2 * minute)
    expect(await deadLetters(screenA)).toBe(ErrorCode.AdminRequired)
    expect(await unlock('2468', screenA)).toBe('ok')
    t!.clock.advance(5 * minute)
    expect(await deadLetters(screenA)).toBe(ErrorCode.AdminRequired)
  })

  it('audits unlocks, wrong PINs, locks and expiries, never the PIN', async () => {
    await kiosk()
    const start = t!.clock.now
    expect(await unlock('135790', screenA)).toBe(ErrorCode.PinWrong)
    expect(await unlock('2468', screenA)).toBe('ok')
    expect(await code('admin:lock', null, screenA)).toBe('ok')
    expect(await unlock('2468', screenA)).toBe('ok')
    t!.clock.advance(6 * minute)
    expect(await deadLetters(screenA)).toBe(ErrorCode.AdminRequired)
    const rows = audit()
    expect(rows.map((row) => row.action)).toEqual([
      'admin.pin-wrong',
      'admin.unlock',
      'admin.lock',
      'admin.unlock',
      'admin.expired',
    ])
    expect(rows[0]).toMatchObject({ actor: 'kiosk', at: start })
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ caller: 'screen-a', attemptsLeft: 4 })
    expect(rows[4]).toMatchObject({ at: start + 5 * minute })
    expect(JSON.parse(rows[4]!.detail!)).toEqual({ caller: 'screen-a', reason: 'idle' })
    const all = JSON.stringify(t!.kiosk.store.all('SELECT * FROM audit'))
    expect(all).not.toContain('135790')
    expect(all).not.toContain(adminPinHash.split('$')[5])
  })

  it('checks at most pin.maxAttempts of 100 admin PINs sent at once; the right one as the 46th is refused', async () => {
    await kiosk()
    const guesses = Array.from({ length: 100 }, (_, i) => (i === 45 ? '2468' : String(5000 + i)))
    const answers = await Promise.all(guesses.map((pin) => unlock(pin, screenA)))
    expect(pinChecks.count).toBeLessThanOrEqual(5)
    expect(answers[45]).toBe(ErrorCode.PinLocked)
    expect(answers.filter((answer) => answer === 'ok')).toHaveLength(0)
    expect(await deadLetters(screenA)).toBe(ErrorCode.AdminRequired)
    const actions = audit().map((row) => row.action)
    expect(actions.filter((action) => action === 'admin.pin-wrong')).toHaveLength(5)
    expect(actions.filter((action) => action === 'admin.pin-locked')).toHaveLength(1)
  })

  it('keeps its PIN lockout across a restart on the same data folder', async () => {
    await kiosk()
    for (let i = 0; i < 5; i++) await unlock('1111', screenA)
    await t!.reopen()
    pinChecks.count = 0
    expect(await unlock('2468', screenA)).toBe(ErrorCode.PinLocked)
    expect(pinChecks.count).toBe(0)
    t!.clock.advance(5 * minute)
    expect(await unlock('2468', screenA)).toBe('ok')
  })
})
