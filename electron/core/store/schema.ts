/** The kiosk database, migration by migration. Never edit a shipped step; add the next one. */
import type { Migration } from './types'

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'roster, punches, outbox, audit',
    statements: [
      `CREATE TABLE employees (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        pin_hash TEXT,
        schedule_start TEXT,
        schedule_end TEXT,
        schedule_days TEXT,
        source TEXT NOT NULL DEFAULT 'csv',
        updated_at INTEGER NOT NULL
      )`,
      `CREATE TABLE badges (
        badge TEXT PRIMARY KEY,
        employee_id TEXT NOT NULL
      )`,
      `CREATE INDEX badges_by_employee ON badges(employee_id)`,
      `CREATE TABLE punches (
        id TEXT PRIMARY KEY,
        employee_id TEXT NOT NULL,
        employee_name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('in', 'out')),
        method TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        utc_offset_min INTEGER NOT NULL,
        time_zone TEXT NOT NULL,
        local_date TEXT NOT NULL,
        site_id TEXT NOT NULL,
        late INTEGER NOT NULL DEFAULT 0,
        early INTEGER NOT NULL DEFAULT 0,
        monotonic_ms REAL,
        boot_id TEXT,
        server_offset_ms REAL,
        clock_trusted INTEGER NOT NULL DEFAULT 0,
        corrected_at INTEGER,
        correction_reason TEXT
      )`,
      `CREATE INDEX punches_by_employee ON punches(employee_id, occurred_at)`,
      `CREATE INDEX punches_by_time ON punches(occurred_at)`,
      `CREATE TABLE outbox (
        punch_id TEXT PRIMARY KEY,
        enqueued_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      )`,
      `CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT
      )`,
    ],
  },
  {
    version: 2,
    description: 'upload state: dead letters, sync cursors and clock offset',
    statements: [
      `CREATE TABLE dead_letters (
        punch_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        rejected_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      )`,
      `CREATE INDEX outbox_by_age ON outbox(enqueued_at, punch_id)`,
      `CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    description: 'face templates (encrypted), consent, face punch evidence',
    statements: [
      `CREATE TABLE face_templates (
        id TEXT PRIMARY KEY,
        employee_id TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        created_at INTEGER NOT NULL
      )`,
      `CREATE INDEX face_templates_by_employee ON face_templates(employee_id)`,
      `CREATE TABLE face_consents (
        employee_id TEXT PRIMARY KEY,
        signed_at INTEGER NOT NULL,
        method TEXT NOT NULL,
        retention_days INTEGER NOT NULL,
        recorded_by TEXT NOT NULL
      )`,
      `ALTER TABLE punches ADD COLUMN match_distance REAL`,
      `ALTER TABLE punches ADD COLUMN liveness TEXT`,
    ],
  },
  {
    version: 4,
    description: 'PIN lockouts, kept across restarts',
    statements: [
      `CREATE TABLE pin_lockouts (
        kind TEXT NOT NULL CHECK (kind IN ('staff', 'admin')),
        subject TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        locked_until INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kind, subject)
      )`,
    ],
  },
  {
    version: 5,
    description:
      'corrections that supersede, roles, weekly schedules, forgotten check-outs, reconciliation',
    statements: [
      // A correction is a punch of its own: what kind, which punch it supersedes, who and when.
      `ALTER TABLE punches ADD COLUMN correction_kind TEXT
         CHECK (correction_kind IN ('added', 'amended', 'voided'))`,
      `ALTER TABLE punches ADD COLUMN supersedes TEXT`,
      `ALTER TABLE punches ADD COLUMN entered_by TEXT`,
      `ALTER TABLE punches ADD COLUMN entered_at INTEGER`,
      `CREATE INDEX punches_by_supersedes ON punches(supersedes) WHERE supersedes IS NOT NULL`,
      `CREATE INDEX punches_by_local_date ON punches(local_date, employee_id)`,
      `ALTER TABLE employees ADD COLUMN role TEXT NOT NULL DEFAULT 'staff'
         CHECK (role IN ('staff', 'supervisor', 'admin'))`,
      // JSON {"1": ["09:00", "18:00"], …} by ISO weekday; wins over schedule_start/end/days.
      `ALTER TABLE employees ADD COLUMN schedule_week TEXT`,
      // A person's answer to "you didn't check out": pending until a supervisor or admin decides.
      `CREATE TABLE correction_requests (
        id TEXT PRIMARY KEY,
        employee_id TEXT NOT NULL,
        open_punch_id TEXT NOT NULL,
        answer TEXT NOT NULL CHECK (answer IN ('schedule_end', 'time', 'unknown')),
        proposed_at INTEGER,
        asked_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'rejected')),
        decided_by TEXT,
        decided_at INTEGER,
        punch_id TEXT
      )`,
      `CREATE UNIQUE INDEX correction_requests_by_open_punch ON correction_requests(open_punch_id)`,
      `CREATE INDEX correction_requests_by_state ON correction_requests(state, asked_at)`,
      `CREATE TABLE reconciliations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ran_at INTEGER NOT NULL,
        range_from INTEGER NOT NULL,
        range_to INTEGER NOT NULL,
        local_count INTEGER NOT NULL,
        remote_count INTEGER NOT NULL,
        requeued INTEGER NOT NULL,
        unknown_ids TEXT NOT NULL,
        actor TEXT NOT NULL
      )`,
      `CREATE INDEX audit_by_time ON audit(at)`,
    ],
  },
  {
    version: 6,
    description: 'face templates learnt from confident live matches, apart from enrolled ones',
    statements: [
      `ALTER TABLE face_templates ADD COLUMN source TEXT NOT NULL DEFAULT 'enrolled'
         CHECK (source IN ('enrolled', 'adaptive'))`,
    ],
  },
]
