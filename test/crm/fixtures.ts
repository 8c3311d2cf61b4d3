/** Test data and set-up shared by the CRM contract tests. */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CrmEmployee, CrmPunch } from '../../electron/core/sync/crm-types'

export const TOKEN = 'test-device-token-7f3a'

export const ada: CrmEmployee = {
  id: 'E001',
  name: 'Ada Lovelace',
  active: true,
  badges: ['10001'],
}
export const bob: CrmEmployee = { id: 'E002', name: 'Bob Marley', active: true, badges: ['10002'] }
export const gone: CrmEmployee = { id: 'E099', name: 'Former Staff', active: false }

/** A valid punch for Ada now; override what a test is about. */
export function punch(overrides: Partial<CrmPunch> = {}): CrmPunch {
  return {
    id: randomUUID(),
    employeeId: ada.id,
    type: 'in',
    occurredAt: new Date().toISOString(),
    timeZone: 'Europe/Berlin',
    method: 'badge',
    clock: { monotonicMs: 123_456, bootId: 'boot-1', serverOffsetMs: null, trusted: false },
    ...overrides,
  }
}

/** A face descriptor as the contract carries it: base64 of 128 float32. */
export function vector(seed = 1): string {
  const values = Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * (i + 1)) / 4)
  return Buffer.from(values.buffer).toString('base64')
}

/** A fresh temp dir and its removal. */
export async function tempDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'clockface-crm-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}
