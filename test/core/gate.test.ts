/**
 * The gate's payload checks, through a real kiosk: only what the contract declares gets in, a
 * refusal is INVALID_PAYLOAD naming the path and what was expected, and it never echoes a value.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/shared/errors'
import { openTestKiosk, sampleRosterCsv, type TestKiosk } from '../fixtures/kiosk'

let t: TestKiosk
beforeEach(async () => {
  t = await openTestKiosk()
  t.importCsv(sampleRosterCsv)
})
afterEach(() => t.cleanup())

const punchCount = () => t.kiosk.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM punches')!.n

async function refusal(channel: string, payload: unknown): Promise<string> {
  const answer = await t.kiosk.gate(channel, payload)
  expect(answer).toMatchObject({ ok: false, error: { code: ErrorCode.InvalidPayload } })
  return (answer as { error: { message: string } }).error.message
}

describe('gate', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'refuses the inherited name %s as an extra key',
    async (key) => {
      const payload = JSON.parse(`{"badge":"10001",${JSON.stringify(key)}:1}`) as unknown
      expect(await refusal('attendance:badge', payload)).toContain(key)
      expect(punchCount()).toBe(0)
    },
  )

  it('refuses a payload that only inherits its keys', async () => {
    const inherited = Object.create({ badge: '10001' }) as unknown
    expect(await refusal('attendance:badge', inherited)).toMatch(/badge/)
    expect(punchCount()).toBe(0)
  })

  it.each([0, 1, 127, 129, 1000])('refuses a face descriptor of %i numbers', async (length) => {
    const descriptor = Array.from({ length }, (_, i) => Math.sin(i) / 4)
    const message = await refusal('faces:identify', { descriptor, liveness: 'passed' })
    expect(message).toMatch(/descriptor/)
    expect(message).toMatch(/128/)
    const sample = await refusal('faces:enrol-sample', { sessionId: 's', descriptor })
    expect(sample).toMatch(/128/)
  })

  it('refuses a descriptor holding something other than finite numbers', async () => {
    const descriptor = Array.from({ length: 128 }, () => 0.1)
    descriptor[5] = Number.NaN
    expect(await refusal('faces:identify', { descriptor, liveness: 'passed' })).toMatch(
      /descriptor\[5\]/,
    )
  })

  it('names the path and what was expected, never the value sent', async () => {
    const pin = 'S3cret-PIN-'.repeat(4)
    const message = await refusal('attendance:pin', { employeeId: 'E001', pin })
    expect(message).toMatch(/pin/)
    expect(message).toMatch(/1 to 32 characters/)
    expect(message).not.toContain('S3cret')
    const kind = await refusal('sync:hint', { kind: 'reboot-now' })
    expect(kind).toMatch(/kind/)
    expect(kind).toMatch(/"online"/)
    expect(kind).not.toContain('reboot-now')
    expect(await refusal('attendance:badge', {})).toMatch(/badge/)
    expect(await refusal('attendance:badge', 'x')).toMatch(/object/)
    expect(await refusal('config:info', { please: true })).not.toContain('please: true')
  })

  it('still accepts a well-formed payload and a missing one where none is taken', async () => {
    expect(await t.kiosk.gate('attendance:badge', { badge: '10001' })).toMatchObject({ ok: true })
    expect(await t.kiosk.gate('config:info', undefined)).toMatchObject({ ok: true })
    expect(await t.kiosk.gate('config:info', null)).toMatchObject({ ok: true })
    expect(punchCount()).toBe(1)
  })
})
