/**
 * Unknown badges at the kiosk are rate-limited: guessing badge numbers is slowed to
 * `badge.unknownPerWindow` per `badge.unknownWindowSeconds`, and the pause is short.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../../../electron/shared/errors'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
beforeEach(async () => {
  t = await openTestKiosk()
  t.importCsv(sampleRosterCsv)
})
afterEach(() => t.cleanup())

async function scan(badge: string) {
  const answer = await t.kiosk.gate('attendance:badge', { badge })
  return answer.ok ? { code: 'ok' } : answer.error
}
const bursts = () =>
  t.kiosk.store.all<{ detail: string }>(
    `SELECT detail FROM audit WHERE action = 'badge.rate-limited' ORDER BY seq`,
  )

describe('unknown badges', () => {
  it('pause every badge for the rest of the window after ten unknown ones in a minute', async () => {
    const start = t.clock.now
    for (let i = 0; i < 10; i++) {
      expect((await scan(String(90000 + i))).code).toBe(ErrorCode.BadgeUnknown)
      t.clock.advance(1000)
    }
    const refused = await scan('90010')
    expect(refused).toMatchObject({
      code: ErrorCode.BadgeRateLimited,
      details: { retryAt: new Date(start + 60_000).toISOString() },
    })
    // A known badge waits too, or the answer would tell a guessed number from a real one.
    expect((await scan('10001')).code).toBe(ErrorCode.BadgeRateLimited)
    for (let i = 0; i < 20; i++) await scan(String(91000 + i))
    expect(bursts()).toHaveLength(1)
    expect(JSON.parse(bursts()[0]!.detail)).toEqual({
      until: new Date(start + 60_000).toISOString(),
    })
    t.clock.advance(start + 60_000 - t.clock.now)
    expect((await scan('10001')).code).toBe('ok')
    expect(JSON.stringify(t.kiosk.store.all('SELECT * FROM audit'))).not.toContain('9001')
  })

  it('let a trickle of unknown badges through and count unreadable scans apart', async () => {
    for (let i = 0; i < 30; i++) {
      expect((await scan(String(80000 + i))).code).toBe(ErrorCode.BadgeUnknown)
      t.clock.advance(7000)
    }
    for (let i = 0; i < 30; i++) expect((await scan('1')).code).toBe(ErrorCode.BadgeUnreadable)
    expect((await scan('10002')).code).toBe('ok')
    expect(bursts()).toHaveLength(0)
  })

  it('follow the configured limit', async () => {
    await t.cleanup()
    t = await openTestKiosk({ badge: { unknownPerWindow: 3, unknownWindowSeconds: 10 } })
    t.importCsv(sampleRosterCsv)
    for (let i = 0; i < 3; i++) await scan(String(70000 + i))
    expect((await scan('70003')).code).toBe(ErrorCode.BadgeRateLimited)
    t.clock.advance(10_000)
    expect((await scan('10002')).code).toBe('ok')
  })
})
