/** A store holding a day's backlog: punches already queued, as after an outage. */
import { migrations } from '../electron/core/store/schema'
import { seedStore } from '../electron/core/store/seed'

/** The employee id of bench person `i` (numeric: every HR system takes it as it is). */
export function benchPersonId(i: number): string {
  return String(2000 + i)
}

/**
 * Queues `queued` punches of `people` people in store folder `dir`: in and out in turn, a
 * second apart across everyone, whole seconds, all an hour or more in the past.
 */
export async function seedQueue(
  dir: string,
  o: { queued: number; people: number; zone: string },
): Promise<void> {
  await seedStore(dir, migrations, (db) => {
    db.run('BEGIN')
    const at = Math.floor((Date.now() - o.queued * 1000 - 3_600_000) / 1000) * 1000
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1),
         p(i, h) AS (SELECT i, lower(hex(randomblob(16))) FROM n)
       INSERT INTO punches (id, employee_id, employee_name, type, method, occurred_at, utc_offset_min,
         time_zone, local_date, site_id, monotonic_ms, boot_id, server_offset_ms, clock_trusted)
       SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a' ||
           substr(h, 18, 3) || '-' || substr(h, 21, 12),
         CAST(2000 + i % ? AS TEXT), 'Bench Person ' || (2000 + i % ?),
         CASE (i / ?) % 2 WHEN 0 THEN 'in' ELSE 'out' END,
         'badge', ? + i * 1000, 60, ?, date((? + i * 1000) / 1000, 'unixepoch'),
         'default', i * 1.0, 'bench-boot', 0, 1
       FROM p`,
      [o.queued, o.people, o.people, o.people, at, o.zone, at],
    )
    db.run(`INSERT INTO outbox (punch_id, enqueued_at) SELECT id, occurred_at FROM punches`)
    db.run('COMMIT')
  })
}
