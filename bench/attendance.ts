/**
 * The admin's day at scale: a month's attendance report for 500 people over a store of 1M
 * punches, and the day board for those 500 people, both through the kiosk's gate as the admin
 * screen calls them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultConfig } from '../electron/core/config/config'
import { openKiosk, storeDir, type Kiosk } from '../electron/core/kiosk'
import { silentLogger } from '../electron/core/logger'
import { hashPin } from '../electron/core/roster/pin'
import { migrations } from '../electron/core/store/schema'
import { seedStore } from '../electron/core/store/seed'
import type { BenchRow } from './report'

const PEOPLE = 500
/** Days of history: 500 people × 2 punches × 1000 days = 1M punches. */
const DAYS = 1000
const FIRST_DAY = Date.parse('2023-06-06T00:00:00Z')
const ZONE = 'Europe/Berlin'

/** Seeds 1M punches: each person in around 08:45–09:25 and out around 17:30–18:30, every day. */
export async function seedAttendance(dir: string): Promise<void> {
  await seedStore(dir, migrations, (db) => {
    db.run('PRAGMA cache_size = -262144')
    db.run('BEGIN')
    db.run(
      `WITH RECURSIVE e(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM e WHERE n < ? - 1)
       INSERT INTO employees (id, name, active, schedule_start, schedule_end, schedule_days,
         source, updated_at)
       SELECT 'emp-' || n, 'Employee ' || n, 1, '09:00', '18:00', '1-5', 'csv', 0 FROM e`,
      [PEOPLE],
    )
    db.run(
      `WITH RECURSIVE d(day) AS (SELECT 0 UNION ALL SELECT day + 1 FROM d WHERE day < ? - 1),
         e(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM e WHERE n < ? - 1),
         k(kind) AS (VALUES (0), (1)),
         p(n, day, kind, at, h) AS (
           SELECT n, day, kind,
             ? + day * 86400000 + CASE kind
               WHEN 0 THEN (6 * 60 + 45 + abs(random() % 40)) * 60000
               ELSE (15 * 60 + 30 + abs(random() % 60)) * 60000 END,
             lower(hex(randomblob(16)))
           FROM d, e, k)
       INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
         utc_offset_min, time_zone, local_date, site_id, clock_trusted)
       SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a' ||
           substr(h, 18, 3) || '-' || substr(h, 21, 12),
         'emp-' || n, 'Employee ' || n, CASE kind WHEN 0 THEN 'in' ELSE 'out' END, 'badge', at,
         120, ?, date(at / 1000 + 7200, 'unixepoch'), 'site-1', 1
       FROM p ORDER BY at`,
      [DAYS, PEOPLE, FIRST_DAY, ZONE],
    )
    db.run('COMMIT')
  })
}

/** Median of `runs` timed calls of an operation through the gate. */
async function timed(kiosk: Kiosk, channel: string, payload: unknown, runs: number) {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const answer = await kiosk.gate(channel, payload)
    times.push(performance.now() - started)
    if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!
}

export async function benchAttendance(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clockface-bench-day-'))
  try {
    await seedAttendance(storeDir(dataDir))
    const lastDay = FIRST_DAY + (DAYS - 1) * 86_400_000
    const now = lastDay + 10 * 3_600_000 // midday of the last day, punches so far included
    const kiosk = await openKiosk({
      loaded: {
        config: { ...defaultConfig(), timeZone: ZONE, adminPinHash: hashPin('2468') },
        dataDir,
        path: '(bench)',
        fromFile: false,
      },
      platform: { now: () => now },
      log: silentLogger,
      startSync: false,
    })
    try {
      const count = kiosk.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM punches')!.n
      await kiosk.gate('admin:unlock', { pin: '2468' })
      const month = new Date(lastDay - 40 * 86_400_000).toISOString().slice(0, 7)
      const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0))
      const period = { from: `${month}-01`, to: last.toISOString().slice(0, 10) }
      const report = await timed(kiosk, 'attendance:report', period, 5)
      const board = await timed(kiosk, 'attendance:board', { date: null }, 11)
      const size = `${Math.round(count / 1000)}k punches`
      return [
        row(`month report, ${PEOPLE} people @${size}`, report, 1000),
        row(`day board, ${PEOPLE} people @${size}`, board, 100),
      ]
    } finally {
      await kiosk.close()
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

function row(name: string, ms: number, goalMs: number): BenchRow {
  return { name, value: Math.round(ms), unit: 'ms', goal: `< ${goalMs} ms`, ok: ms < goalMs }
}
