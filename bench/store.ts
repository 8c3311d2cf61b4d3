/** Store benchmarks: durable punch commits at 1k, 100k and 1M stored punches; opening 1M. */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { migrations } from '../electron/core/store/schema'
import { seedStore } from '../electron/core/store/seed'
import { openStore } from '../electron/core/store/store'
import type { Statement } from '../electron/core/store/types'
import type { BenchRow } from './report'

const COMMITS = 2000
const WARMUP = 50
const COMMIT_P99_GOAL_MS = 10
const OPEN_GOAL_MS = 2000

/** The two statements the kiosk commits for one punch: the punch row and its outbox entry. */
export function punchStatements(id: string, occurredAt: number, employee = 1): Statement[] {
  return [
    [
      `INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
         utc_offset_min, time_zone, local_date, site_id, late, early, monotonic_ms, boot_id,
         server_offset_ms, clock_trusted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0)`,
      [
        id,
        `emp-${employee}`,
        `Employee ${employee}`,
        'in',
        'face',
        occurredAt,
        60,
        'Europe/Berlin',
        new Date(occurredAt).toISOString().slice(0, 10),
        'site-1',
        0,
        0,
        performance.now(),
        'bench-boot',
      ],
    ],
    ['INSERT INTO outbox (punch_id, enqueued_at) VALUES (?, ?)', [id, occurredAt]],
  ]
}

/**
 * Seeds the empty folder `dir` with `count` punches from 500 employees, one a minute, the newest
 * 50 still in the outbox; bulk SQL into one snapshot, so 1M takes seconds, not a million fsyncs.
 */
export async function seedPunchStore(dir: string, count: number): Promise<void> {
  await seedStore(dir, migrations, (db) => {
    db.run('PRAGMA cache_size = -262144')
    db.run('BEGIN')
    // Secondary indexes are cheaper to build once, sorted, than to grow row by row.
    const [indexes] = db.exec(
      `SELECT name, sql FROM sqlite_master
       WHERE type = 'index' AND tbl_name = 'punches' AND sql IS NOT NULL`,
    )
    const rebuild = (indexes?.values ?? []).map(([name, sql]) => ({ name, sql: String(sql) }))
    for (const index of rebuild) db.run(`DROP INDEX ${index.name}`)
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1),
         p(i, h, at) AS (SELECT i, lower(hex(randomblob(16))), 1700000000000 + i * 60000 FROM n)
       INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at,
         utc_offset_min, time_zone, local_date, site_id, monotonic_ms, boot_id, server_offset_ms,
         clock_trusted)
       SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a' ||
           substr(h, 18, 3) || '-' || substr(h, 21, 12),
         'emp-' || (i % 500), 'Employee ' || (i % 500), CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END,
         'face', at, 60, 'Europe/Berlin', date(at / 1000, 'unixepoch'), 'site-1', i * 1.5,
         'seed-boot', 12.5, 1
       FROM p`,
      [count],
    )
    for (const index of rebuild) db.run(index.sql)
    db.run(
      `INSERT INTO outbox (punch_id, enqueued_at)
       SELECT id, occurred_at FROM punches ORDER BY occurred_at DESC LIMIT 50`,
    )
    db.run('COMMIT')
  })
}

/** Measures the store against its goals; prints nothing (the caller does). */
export async function benchStore(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const [label, count] of [
    ['1k', 1_000],
    ['100k', 100_000],
    ['1M', 1_000_000],
  ] as const) {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `clockface-bench-${label}-`))
    try {
      await seedPunchStore(dir, count)
      const commits = await measureCommits(dir)
      rows.push(latencyRow(`punch commit median @${label} punches`, commits.median, null))
      rows.push(latencyRow(`punch commit p99 @${label} punches`, commits.p99, COMMIT_P99_GOAL_MS))
      if (count === 1_000_000) {
        const open = await measureOpen(dir)
        rows.push({
          name: `open store @${label} punches`,
          value: round(open.openMs),
          unit: 'ms',
          goal: `< ${OPEN_GOAL_MS} ms`,
          ok: open.openMs < OPEN_GOAL_MS,
        })
        // Not a stated goal: the snapshot's 240 MB write shares the disk with journal fsyncs.
        rows.push(latencyRow(`punch commit p99 during snapshot @${label}`, open.p99, null))
        rows.push({
          name: `background snapshot @${label} punches`,
          value: round(open.snapshotMs),
          unit: 'ms',
          goal: 'report only',
          ok: true,
        })
      }
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true })
    }
  }
  return rows
}

async function measureCommits(dir: string): Promise<{ median: number; p99: number }> {
  const store = await openStore({ dir, migrations })
  try {
    const times: number[] = []
    let at = Date.now()
    for (let i = 0; i < WARMUP + COMMITS; i++) {
      const statements = punchStatements(randomUUID(), (at += 1000), i % 500)
      const started = performance.now()
      store.commit(statements)
      if (i >= WARMUP) times.push(performance.now() - started)
    }
    return { median: percentile(times, 0.5), p99: percentile(times, 0.99) }
  } finally {
    await store.close()
  }
}

/** Opens the store, then keeps committing (yielding between commits) while a snapshot runs. */
async function measureOpen(
  dir: string,
): Promise<{ openMs: number; p99: number; snapshotMs: number }> {
  const started = performance.now()
  const store = await openStore({ dir, migrations })
  const openMs = performance.now() - started
  try {
    let snapshotMs = 0
    const snapshotStarted = performance.now()
    const snapshot = store.snapshot().finally(() => {
      snapshotMs = performance.now() - snapshotStarted
    })
    const times: number[] = []
    let at = Date.now()
    while (snapshotMs === 0 || times.length < 100) {
      const statements = punchStatements(randomUUID(), (at += 1000))
      const before = performance.now()
      store.commit(statements)
      times.push(performance.now() - before)
      await nextTurn()
    }
    await snapshot
    return { openMs, p99: percentile(times, 0.99), snapshotMs }
  } finally {
    await store.close()
  }
}

function latencyRow(name: string, ms: number, goalMs: number | null): BenchRow {
  return {
    name,
    value: round(ms),
    unit: 'ms',
    goal: goalMs === null ? 'report only' : `≤ ${goalMs} ms`,
    ok: goalMs === null || ms <= goalMs,
  }
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
