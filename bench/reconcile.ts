/**
 * Reconciliation of a quarter's 100,000 punches against the reference CRM on loopback (in its
 * own process), which has lost 1% of them and holds 100 the kiosk never made.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatRfc3339 } from '../electron/core/attendance/zoned-time'
import { defaultConfig } from '../electron/core/config/config'
import { openKiosk, storeDir } from '../electron/core/kiosk'
import { silentLogger } from '../electron/core/logger'
import { migrations } from '../electron/core/store/schema'
import { seedStore } from '../electron/core/store/seed'
import { startReferenceCrm } from './reference-crm'
import type { BenchRow } from './report'

const punches = 100_000
const lostEvery = 100
const strangers = 100
const token = 'bench-device-token'
const deviceId = 'bench'
const first = Date.parse('2026-01-01T06:00:00Z')
const stepMs = Math.floor((89 * 86_400_000) / punches)

/** Time to reconcile 100k punches, and what it found. */
export async function benchReconcile(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'clockface-bench-reconcile-'))
  try {
    const ids = Array.from({ length: punches }, () => randomUUID())
    await seedKiosk(storeDir(join(dir, 'kiosk')), ids)
    await seedCrm(join(dir, 'crm'), ids)
    const crm = await startCrm(join(dir, 'crm'))
    try {
      const base = defaultConfig()
      const config = {
        ...base,
        timeZone: 'Europe/Berlin',
        crm: { ...base.crm, url: crm.url, deviceToken: token, deviceId },
      }
      const kiosk = await openKiosk({
        loaded: { config, dataDir: join(dir, 'kiosk'), path: '(bench)', fromFile: false },
        log: silentLogger,
        startSync: false,
      })
      try {
        const started = performance.now()
        const result = await kiosk.sync.reconcile({ from: '2026-01-01', to: '2026-03-31' }, 'bench')
        const ms = performance.now() - started
        const found =
          result.localCount === punches &&
          result.requeued === punches / lostEvery &&
          result.unknownIds === strangers
        return [
          {
            name: `reconcile ${punches / 1000}k punches with the CRM`,
            value: Math.round(ms),
            unit: 'ms',
            goal: '< 10000 ms',
            ok: ms < 10_000,
          },
          {
            name: 'lost punches requeued, unknown ids found',
            value: result.requeued + result.unknownIds,
            unit: 'ids',
            goal: `${punches / lostEvery + strangers} ids`,
            ok: found,
          },
        ]
      } finally {
        await kiosk.close()
      }
    } finally {
      await crm.stop()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const occurredAt = (i: number) => first + i * stepMs

/** The kiosk's store: every punch uploaded long ago, so none waits in the queue. */
async function seedKiosk(dir: string, ids: string[]): Promise<void> {
  await seedStore(dir, migrations, (db) => {
    db.run('BEGIN')
    const insert = db.prepare(
      `INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
         utc_offset_min, time_zone, local_date, site_id, clock_trusted)
       VALUES (?, ?, ?, ?, 'badge', ?, 60, 'Europe/Berlin', ?, 'default', 1)`,
    )
    ids.forEach((id, i) => {
      const at = occurredAt(i)
      const day = new Date(at + 3_600_000).toISOString().slice(0, 10)
      insert.run([id, `emp-${i % 500}`, `Employee ${i % 500}`, i % 2 ? 'out' : 'in', at, day])
    })
    insert.free()
    db.run('COMMIT')
  })
}

/** The CRM's ledger as its own server writes it: all but every 100th punch, and strangers. */
async function seedCrm(dir: string, ids: string[]): Promise<void> {
  await mkdir(dir, { recursive: true })
  const receivedAt = new Date(first + 90 * 86_400_000).toISOString()
  const line = (id: string, at: number) =>
    JSON.stringify({
      kind: 'punch',
      stored: {
        punch: {
          id,
          employeeId: 'emp-1',
          type: 'in',
          occurredAt: formatRfc3339(at, 60),
          timeZone: 'Europe/Berlin',
          method: 'badge',
        },
        deviceId,
        receivedAt,
      },
    })
  const lines: string[] = []
  ids.forEach((id, i) => {
    if (i % lostEvery !== 0) lines.push(line(id, occurredAt(i)))
  })
  for (let i = 0; i < strangers; i++) lines.push(line(randomUUID(), occurredAt(i * 997)))
  await writeFile(join(dir, 'crm-ledger.jsonl'), `${lines.join('\n')}\n`)
}

function startCrm(data: string): Promise<{ url: string; stop(): Promise<void> }> {
  return startReferenceCrm(['--data', data, '--token', token])
}
