/**
 * Face data in admin mode is an admin's alone, checked in core: a supervisor's session is
 * refused every faces operation with PERMISSION_DENIED and changes nothing, while an admin who
 * signed in with their own badge enrols and erases under their own name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Caller } from '../../../electron/core/gate'
import { hashPin } from '../../../electron/core/roster/pin'
import { ErrorCode } from '../../../electron/shared/errors'
import type { EnrolmentProgress } from '../../../electron/shared/types'
import { variants } from '../../fixtures/descriptors'
import { openTestKiosk, type TestKiosk } from '../../fixtures/kiosk'

const supervisor: Caller = { id: 'screen-supervisor' }
const admin: Caller = { id: 'screen-admin' }
const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }

let t: TestKiosk
beforeEach(async () => {
  t = await openTestKiosk({ adminPinHash: hashPin('2468'), faces: { liveness: 'off' } })
  t.importCsv(
    [
      'id,name,badge,pin,role',
      'E001,张伟,10001,,',
      'E002,Alice Martin,10002,,',
      'E010,李娜,50010,1357,supervisor',
      'E011,Omar Haddad,50011,2580,admin',
    ].join('\n'),
  )
  await t.kiosk.faces.enrolDescriptors('E001', variants(1, 3), consent, 'test')
})
afterEach(() => t.cleanup())

async function answer(channel: string, payload: unknown, caller: Caller) {
  return t.kiosk.gate(channel, payload, caller)
}
async function code(channel: string, payload: unknown, caller: Caller): Promise<string> {
  const envelope = await answer(channel, payload, caller)
  return envelope.ok ? 'ok' : envelope.error.code
}
const templates = (employeeId: string) =>
  t.kiosk.store.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM face_templates WHERE employee_id = ?',
    [employeeId],
  )!.n

describe('face data permissions', () => {
  it('refuses a supervisor every faces operation and changes nothing', async () => {
    expect(await code('admin:unlock', { badge: '50010', pin: '1357' }, supervisor)).toBe('ok')
    expect(await code('admin:unlock', { badge: '50011', pin: '2580' }, admin)).toBe('ok')
    const started = await answer(
      'faces:enrol-start',
      { employeeId: 'E002', consent: 'paper' },
      admin,
    )
    const { sessionId } = (started as { value: EnrolmentProgress }).value

    const attempts: [string, unknown][] = [
      ['faces:people', { query: '' }],
      ['faces:enrol-start', { employeeId: 'E002', consent: 'paper' }],
      ['faces:enrol-sample', { sessionId, descriptor: [...variants(2, 1)[0]!] }],
      ['faces:enrol-finish', { sessionId }],
      ['faces:delete', { employeeId: 'E001' }],
    ]
    for (const [channel, payload] of attempts) {
      expect(await answer(channel, payload, supervisor), channel).toMatchObject({
        ok: false,
        error: { code: ErrorCode.PermissionDenied, details: { permission: 'faces' } },
      })
    }
    expect(templates('E001')).toBe(3)
    const sample = await answer(
      'faces:enrol-sample',
      { sessionId, descriptor: [...variants(2, 1)[0]!] },
      admin,
    )
    expect(sample).toMatchObject({ ok: true, value: { accepted: 1 } })
  })

  it("lets a supervisor's screen still identify faces at the door", async () => {
    expect(await code('admin:unlock', { badge: '50010', pin: '1357' }, supervisor)).toBe('ok')
    const descriptor = [...variants(1, 1)[0]!]
    await answer('faces:identify', { descriptor, liveness: 'passed' }, supervisor)
    expect(
      await answer('faces:identify', { descriptor, liveness: 'passed' }, supervisor),
    ).toMatchObject({ ok: true, value: { status: 'recorded', punch: { employeeId: 'E001' } } })
  })

  it('records enrolment and erasure under the admin who signed in, and break-glass as such', async () => {
    expect(await code('admin:unlock', { badge: '50011', pin: '2580' }, admin)).toBe('ok')
    const started = await answer(
      'faces:enrol-start',
      { employeeId: 'E002', consent: 'paper' },
      admin,
    )
    const { sessionId } = (started as { value: EnrolmentProgress }).value
    for (const sample of variants(2, 5)) {
      expect(await code('faces:enrol-sample', { sessionId, descriptor: [...sample] }, admin)).toBe(
        'ok',
      )
    }
    expect(await code('faces:enrol-finish', { sessionId }, admin)).toBe('ok')
    const consentBy = t.kiosk.store.get<{ recorded_by: string }>(
      "SELECT recorded_by FROM face_consents WHERE employee_id = 'E002'",
    )
    expect(consentBy).toEqual({ recorded_by: 'employee:E011' })
    expect(await code('faces:delete', { employeeId: 'E001' }, admin)).toBe('ok')
    expect(await code('admin:unlock', { pin: '2468' }, supervisor)).toBe('ok')
    expect(await code('faces:delete', { employeeId: 'E002' }, supervisor)).toBe('ok')

    const trail = t.kiosk.store.all<{ actor: string; action: string; subject: string }>(
      `SELECT actor, action, subject FROM audit WHERE action LIKE 'faces.%' ORDER BY seq`,
    )
    expect(trail).toEqual([
      { actor: 'test', action: 'faces.enrol', subject: 'E001' },
      { actor: 'employee:E011', action: 'faces.enrol', subject: 'E002' },
      { actor: 'employee:E011', action: 'faces.delete', subject: 'E001' },
      { actor: 'break-glass', action: 'faces.delete', subject: 'E002' },
    ])
  })
})
