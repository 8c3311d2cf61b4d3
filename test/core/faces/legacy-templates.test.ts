/**
 * A data folder of the previous version (every template under the one face key in
 * face-key.bin) is moved to per-person keys on open and that key is destroyed, so an erasure
 * afterwards leaves nothing readable, not even the copies the old key sealed.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { faceModel } from '../../../electron/core/faces/face-data'
import { encryptBound } from '../../../electron/core/faces/template-crypto'
import { openKiosk, storeDir, type Kiosk } from '../../../electron/core/kiosk'
import { silentLogger, type Logger } from '../../../electron/core/logger'
import { importRoster } from '../../../electron/core/roster/import'
import { migrations } from '../../../electron/core/store/schema'
import { openStore } from '../../../electron/core/store/store'
import { face, variants } from '../../fixtures/descriptors'
import { call, sampleRosterCsv, testConfig } from '../../fixtures/kiosk'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { recoverableTemplates } from './recoverable-templates'

const now = Date.parse('2026-03-02T00:50:00Z')
const enrolled = { E001: variants(1, 3), E002: variants(2, 3) }
let dataDir: string
let kiosk: Kiosk | undefined

/** What the previous version wrote: templates as iv | tag | ciphertext under face-key.bin. */
async function seedPreviousVersion(): Promise<void> {
  const legacyKey = randomBytes(32)
  mkdirSync(storeDir(dataDir), { recursive: true })
  writeFileSync(join(dataDir, 'face-key.bin'), legacyKey, { mode: 0o600 })
  const store = await openStore({ dir: storeDir(dataDir), migrations })
  importRoster(store, sampleRosterCsv, now)
  for (const [employeeId, vectors] of Object.entries(enrolled)) {
    store.commit([
      [
        `INSERT INTO face_consents (employee_id, signed_at, method, retention_days, recorded_by)
         VALUES (?, ?, 'paper', 730, 'test')`,
        [employeeId, now],
      ],
      ...vectors.map((v): [string, (string | number | Uint8Array)[]] => {
        const id = randomUUID()
        const sealed = encryptBound(legacyKey, Buffer.from(v.buffer), `${employeeId}\u0000${id}`)
        return [
          `INSERT INTO face_templates (id, employee_id, model, vector, created_at) VALUES (?, ?, ?, ?, ?)`,
          [id, employeeId, faceModel, new Uint8Array(sealed), now],
        ]
      }),
    ])
  }
  await store.snapshot()
  await store.close()
}

async function open(log: Logger = silentLogger): Promise<Kiosk> {
  kiosk = await openKiosk({
    loaded: {
      config: testConfig({ faces: { liveness: 'off' } }),
      dataDir,
      path: '(test)',
      fromFile: false,
    },
    platform: { now: () => now },
    log,
  })
  return kiosk
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clockface-legacy-'))
  await seedPreviousVersion()
})
afterEach(async () => {
  await kiosk?.close()
  kiosk = undefined
  await rm(dataDir, { recursive: true, force: true })
})

describe("the previous version's face data", () => {
  it('moves to per-person keys, and the shared key is destroyed', async () => {
    const lines: string[] = []
    const k = await open({ ...silentLogger, info: (m) => lines.push(m) })
    expect(existsSync(join(dataDir, 'face-key.bin'))).toBe(false)
    expect(lines).toContain('faces: 6 template(s) of 2 people moved to per-person keys')
    const rekey = k.store.get<{ detail: string }>(
      `SELECT detail FROM audit WHERE action = 'faces.rekey'`,
    )
    expect(JSON.parse(rekey!.detail)).toEqual({ people: 2, templates: 6, unreadable: 0 })
    await k.close()
    const again = await open()
    await call(again, 'identifyFace', { descriptor: [...face(2, 0.1)], liveness: 'passed' })
    expect(
      await call(again, 'identifyFace', { descriptor: [...face(2, 0.1)], liveness: 'passed' }),
    ).toMatchObject({ status: 'recorded', punch: { employeeId: 'E002' } })
  })

  it('leaves nothing readable once a moved person is erased', async () => {
    const k = await open()
    k.faces.erase('E002', 'admin', 'asked to')
    for (let i = 0; i < 3; i++) {
      await call(k, 'recordBadgePunch', { badge: '10001' })
      await k.store.snapshot()
    }
    const found = recoverableTemplates(dataDir, enrolled)
    expect(found.E001).toBeGreaterThan(0)
    expect(found.E002).toBe(0)
  })

  it('is erased, audited and logged when the shared key does not open it', async () => {
    writeFileSync(join(dataDir, 'face-key.bin'), randomBytes(32))
    const errors: string[] = []
    const k = await open({ ...silentLogger, error: (m) => errors.push(m) })
    expect(k.faces.person('E001').templates).toBe(0)
    expect(errors.join('\n')).toMatch(/6 template\(s\) of the previous version could not be read/)
    const erased = k.store.all<{ subject: string }>(
      `SELECT subject FROM audit WHERE action = 'faces.delete' ORDER BY subject`,
    )
    expect(erased.map((r) => r.subject)).toEqual(['E001', 'E002'])
  })
})
