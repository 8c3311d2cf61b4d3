/**
 * Template adaptation on a real store: a confident, live, agreed face punch adds one adaptive
 * template; liveness off or pending, a near-threshold or ambiguous match, a face without its
 * badge, a redundant frame or a second punch the same day add none. Cap, replacement order,
 * erasure, re-enrolment, restart and encryption at rest.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { adaptEveryMs } from '../../../electron/core/faces/adaptation'
import { storeDir } from '../../../electron/core/kiosk'
import type { Logger } from '../../../electron/core/logger'
import { face, variants } from '../../fixtures/descriptors'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }
const day = adaptEveryMs + 60_000
const enrolled = variants(1, 3)

async function open(faces: Record<string, unknown> = {}, log?: Logger): Promise<void> {
  t = await openTestKiosk(
    { faces: { liveness: 'either', threshold: 0.5, margin: 0.05, agreeFrames: 2, ...faces } },
    undefined,
    log,
  )
  t.importCsv(sampleRosterCsv)
  await t.kiosk.faces.enrolDescriptors('E001', enrolled, consent, 'test')
}
afterEach(() => t.cleanup())

/** Two agreeing frames of `d`, the last one live (or as given): the kiosk's walk-up. */
async function walkUp(d: Float32Array, liveness: 'passed' | 'pending' = 'passed') {
  await call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness })
  return call(t.kiosk, 'identifyFace', { descriptor: [...d], liveness })
}

function templates(employeeId = 'E001') {
  return t.kiosk.store.all<{ id: string; source: string; vector: Uint8Array }>(
    `SELECT id, source, vector FROM face_templates WHERE employee_id = ? ORDER BY created_at, rowid`,
    [employeeId],
  )
}
const adaptive = (employeeId = 'E001') =>
  templates(employeeId).filter((r) => r.source === 'adaptive')

const distance = (a: Float32Array, b: Float32Array) =>
  Math.sqrt(a.reduce((s, x, k) => s + (x - b[k]!) ** 2, 0))
const nearest = (d: Float32Array, set: Float32Array[]) =>
  Math.min(...set.map((v) => distance(d, v)))
function toward(a: Float32Array, b: Float32Array, step: number): Float32Array {
  const v = a.map((x, i) => x + step * (b[i]! - x))
  const norm = Math.hypot(...v)
  return v.map((x) => x / norm)
}

/** A new-looking, confident frame of E001: about 0.3 from the enrolment, never the same twice. */
const confident = (i: number) => face(1, 0.3 + i * 0.01)

describe('template adaptation', () => {
  it('adds one adaptive template on a confident live match', async () => {
    const lines: string[] = []
    const capture = (message: string) => void lines.push(message)
    await open({}, { info: capture, warn: capture, error: capture })
    const probe = confident(0)
    expect(nearest(probe, enrolled)).toBeGreaterThan(0.15)
    expect(nearest(probe, enrolled)).toBeLessThan(0.4)
    expect(await walkUp(probe)).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(1)
    expect(t.kiosk.faces.person('E001').templates).toBe(4)
    expect(lines).toContain('faces: adaptive template added for E001 (1 of 3)')
    const audit = t.kiosk.store.get<{ detail: string }>(
      `SELECT detail FROM audit WHERE action = 'faces.adapt'`,
    )
    expect(JSON.parse(audit!.detail)).toEqual({ adaptive: 1, cap: 3, replacedOldest: false })
  })

  it('adds none when liveness is off, or still pending', async () => {
    await open({ liveness: 'off' })
    expect(await walkUp(confident(0))).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(0)
    await t.cleanup()
    await open()
    expect(await walkUp(confident(0), 'pending')).toMatchObject({ status: 'needs-liveness' })
    expect(adaptive()).toHaveLength(0)
  })

  it('adds none from a match near the threshold', async () => {
    await open()
    const probe = face(1, 0.46)
    expect(nearest(probe, enrolled)).toBeGreaterThan(0.4)
    expect(await walkUp(probe)).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(0)
  })

  it('adds none from an ambiguous match: the runner-up within twice the margin', async () => {
    await open()
    // E002 enrolled close to E001, so a frame between them matches E001 by a thin margin.
    const other = variants(1, 3).map((v) => toward(v, face(2), 0.5))
    await t.kiosk.faces.enrolDescriptors('E002', other, consent, 'test')
    const probe = [...Array(60).keys()]
      .map((i) => toward(face(1, 0.2), other[0]!, i / 100))
      .find((p) => {
        const gap = nearest(p, other) - nearest(p, enrolled)
        return gap > 0.06 && gap < 0.09 && nearest(p, enrolled) < 0.4
      })!
    expect(probe).toBeDefined()
    expect(await walkUp(probe)).toMatchObject({ status: 'recorded', punch: { employeeId: 'E001' } })
    expect(adaptive()).toHaveLength(0)
  })

  it('in face-and-badge mode adds one only when the badge named the person', async () => {
    await open({ mode: 'faceAndBadge' })
    expect(await walkUp(confident(0))).toEqual({ status: 'badge-first' })
    expect(adaptive()).toHaveLength(0)
    await call(t.kiosk, 'recordBadgePunch', { badge: '10001' })
    expect(await walkUp(confident(0))).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(1)
  })

  it('skips a frame nearly identical to a template, and learns at most once a day', async () => {
    await open()
    expect(await walkUp(enrolled[0]!)).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(0)
    t.clock.advance(day)
    expect(await walkUp(confident(0))).toMatchObject({ status: 'recorded' })
    t.clock.advance(10 * 60_000)
    expect(await walkUp(confident(1))).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(1)
    t.clock.advance(day)
    expect(await walkUp(confident(2))).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(2)
  })

  it('keeps to the cap, replacing the oldest adaptive template and never an enrolled one', async () => {
    await open()
    const enrolledRows = templates()
    const added: string[] = []
    for (let i = 0; i < 5; i++) {
      t.clock.advance(day)
      expect(await walkUp(confident(i))).toMatchObject({ status: 'recorded' })
      added.push(adaptive().at(-1)!.id)
      expect(adaptive()).toHaveLength(Math.min(i + 1, 3))
    }
    expect(adaptive().map((r) => r.id)).toEqual(added.slice(2))
    expect(templates().filter((r) => r.source === 'enrolled')).toEqual(enrolledRows)
    expect(t.kiosk.faces.person('E001').templates).toBe(6)
  })

  it('adds none when the cap is 0', async () => {
    await open({ adaptiveTemplates: 0 })
    expect(await walkUp(confident(0))).toMatchObject({ status: 'recorded' })
    expect(adaptive()).toHaveLength(0)
  })

  it('matches with its adaptive template after a restart, encrypted at rest', async () => {
    await open()
    const learnt = confident(0)
    await walkUp(learnt)
    // Beyond the threshold from every enrolled template: only the learnt one can match it.
    const beyond = toward(enrolled[0]!, learnt, 1.8)
    expect(nearest(beyond, enrolled)).toBeGreaterThan(0.5)
    expect(distance(beyond, learnt)).toBeLessThan(0.45)
    await t.kiosk.store.snapshot()
    const needle = Buffer.from(learnt.buffer).subarray(0, 16)
    for (const name of await readdir(storeDir(t.dataDir))) {
      expect((await readFile(join(storeDir(t.dataDir), name))).includes(needle), name).toBe(false)
    }
    await t.reopen()
    t.clock.advance(day)
    expect(await walkUp(beyond)).toMatchObject({
      status: 'recorded',
      punch: { employeeId: 'E001' },
    })
  })

  it('goes with the person: erased with them, dropped by a new enrolment', async () => {
    await open()
    await walkUp(confident(0))
    expect(adaptive()).toHaveLength(1)
    await t.kiosk.faces.enrolDescriptors('E001', enrolled, consent, 'test')
    expect(templates().map((r) => r.source)).toEqual(['enrolled', 'enrolled', 'enrolled'])
    t.clock.advance(day)
    await walkUp(confident(1))
    expect(adaptive()).toHaveLength(1)
    t.kiosk.faces.erase('E001', 'admin', 'asked to')
    expect(templates()).toHaveLength(0)
  })
})
