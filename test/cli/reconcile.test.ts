/** `cli reconcile` and the reconciliation line of `cli status`, against the reference CRM. */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { zonedParts } from '../../electron/core/attendance/zoned-time'
import { loadConfig } from '../../electron/core/config/config'
import { openKiosk } from '../../electron/core/kiosk'
import { silentLogger } from '../../electron/core/logger'
import type { PunchOutcome } from '../../electron/shared/types'
import { ada, TOKEN } from '../crm/fixtures'
import { startReferenceCrm, type ReferenceCrm } from '../crm/reference-server'

const root = join(import.meta.dirname, '../..')

// Asynchronous, unlike fixtures/cli.ts: the reference CRM answers from this very process meanwhile.
function runCli(
  extra: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'electron/cli/index.ts', ...args],
      { cwd: root, env: { ...process.env, ...extra } },
      (error, out, err) => resolve({ code: error ? (error.code as number) : 0, out, err }),
    )
  })
}

let dir: string
let env: NodeJS.ProcessEnv
let crm: ReferenceCrm

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-cli-reconcile-'))
  crm = await startReferenceCrm({ dataDir: join(dir, 'crm'), tokens: [TOKEN] })
  await crm.upsertEmployee(ada)
  const config = join(dir, 'config.json')
  await writeFile(
    config,
    JSON.stringify({
      timeZone: 'Asia/Shanghai',
      site: { id: 'hq', name: 'HQ' },
      attendance: { switchWindowSeconds: 0 },
      crm: { url: crm.url, deviceToken: TOKEN, deviceId: 'lobby-1' },
    }),
  )
  env = { CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: join(dir, 'data') }
})
afterEach(async () => {
  await crm.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('cli reconcile', () => {
  it('requeues what the CRM lost, prints the result, and status shows the last run', async () => {
    const kiosk = await openKiosk({
      loaded: loadConfig({ ...process.env, ...env }),
      log: silentLogger,
    })
    let id = ''
    try {
      for (let i = 0; i < 100 && !(await kiosk.sync.status()).roster.lastSyncAt; i++)
        await new Promise((r) => setTimeout(r, 50))
      const outcome = await kiosk.gate('attendance:badge', { badge: ada.badges![0]! })
      id = (outcome as { value: PunchOutcome }).value.punch.id
      for (let i = 0; i < 200 && kiosk.sync.status().pending > 0; i++)
        await new Promise((r) => setTimeout(r, 50))
      expect(crm.punches().map((p) => p.punch.id)).toEqual([id])
    } finally {
      await kiosk.close()
    }
    const { port } = crm
    await crm.stop()
    const ledger = join(dir, 'crm', 'crm-ledger.jsonl')
    const lines = (await readFile(ledger, 'utf8')).split('\n').filter((l) => !l.includes(id))
    await writeFile(ledger, lines.join('\n'))
    crm = await startReferenceCrm({ dataDir: join(dir, 'crm'), tokens: [TOKEN], port })

    const today = zonedParts(Date.now(), 'Asia/Shanghai').date
    const run = await runCli(env, 'reconcile', '--from', '2026-01-01', '--to', today)
    expect(run.err).not.toMatch(/clockface:/)
    expect(run).toMatchObject({ code: 0 })
    expect(run.out).toMatch(/1 here, 0 at the CRM, 1 requeued, 0 unknown to this kiosk/)
    expect(run.out).toContain('1 punch(es) back in the upload queue')
    expect((await runCli(env, 'status')).out).toMatch(
      /reconciled:\s+\S+ for 2025-12-31T16:00:00.000Z\.\.\S+: 1 here, 0 at the CRM, 1 requeued/,
    )
    const bad = await runCli(env, 'reconcile', '--from', today)
    expect(bad).toMatchObject({ code: 2 })
    expect(bad.err).toMatch(/usage: reconcile --from YYYY-MM-DD --to YYYY-MM-DD/)
    const reversed = await runCli(env, 'reconcile', '--from', today, '--to', '2026-01-01')
    expect(reversed.err).toMatch(/clockface: from must not be after to\n$/)
  }, 60_000)
})
