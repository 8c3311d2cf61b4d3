/** The reference CRM's durable state: an append-only JSON-lines ledger, fsynced before answers. */
import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  CrmEmployee,
  CrmFaceTemplatesBody,
  CrmPunch,
  HeartbeatBody,
} from '../../electron/core/sync/crm-types'

/** A punch the CRM created, as it stored it. */
export interface StoredPunch {
  punch: CrmPunch
  deviceId: string
  /** Server clock (skew included) when it was stored, RFC 3339. */
  receivedAt: string
}

/** The last heartbeat of one device. */
export interface StoredHeartbeat {
  body: HeartbeatBody
  receivedAt: string
}

/** One line of the ledger. */
export type LedgerRecord =
  | { kind: 'punch'; stored: StoredPunch }
  | { kind: 'employee'; seq: number; employee: CrmEmployee }
  | { kind: 'heartbeat'; deviceId: string; heartbeat: StoredHeartbeat }
  | { kind: 'face-templates'; employeeId: string; body: CrmFaceTemplatesBody | null }

/** Everything the CRM knows, rebuilt from the ledger on open. */
export interface LedgerState {
  punches: Map<string, StoredPunch>
  /** Employee id → the employee and the change sequence of its last upsert. */
  employees: Map<string, { employee: CrmEmployee; seq: number }>
  /** Highest change sequence handed out; roster cursors point into it. */
  seq: number
  heartbeats: Map<string, StoredHeartbeat>
  faceTemplates: Map<string, CrmFaceTemplatesBody>
}

export interface Ledger {
  readonly state: LedgerState
  /**
   * Runs `decide` alone (no other transaction interleaves), makes the records it returns durable,
   * applies them to `state`, then returns its result: a reply is sent only for what is on disk.
   */
  transact<T>(decide: (state: LedgerState) => { records: LedgerRecord[]; result: T }): Promise<T>
  close(): Promise<void>
}

const FILE = 'crm-ledger.jsonl'

/** Opens (or creates) the ledger in `dataDir`; a torn last line from a crash is cut off. */
export async function openLedger(dataDir: string): Promise<Ledger> {
  await mkdir(dataDir, { recursive: true })
  const path = join(dataDir, FILE)
  const state: LedgerState = {
    punches: new Map(),
    employees: new Map(),
    seq: 0,
    heartbeats: new Map(),
    faceTemplates: new Map(),
  }
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return ''
    throw error
  })
  const complete = text.slice(0, text.lastIndexOf('\n') + 1)
  if (complete.length !== text.length) await truncate(path, Buffer.byteLength(complete))
  for (const line of complete.split('\n')) if (line) apply(state, JSON.parse(line) as LedgerRecord)

  const file: FileHandle = await open(path, 'a')
  const dir = await open(dataDir, 'r')
  // The ledger's directory entry must be durable too, or a power cut could lose the whole file.
  await dir.sync().finally(() => dir.close())
  let queue: Promise<unknown> = Promise.resolve()

  return {
    state,
    transact(decide) {
      const run = queue.then(async () => {
        const { records, result } = decide(state)
        if (records.length > 0) {
          await file.write(records.map((r) => JSON.stringify(r) + '\n').join(''))
          await file.sync()
          for (const record of records) apply(state, record)
        }
        return result
      })
      queue = run.catch(() => undefined)
      return run
    },
    async close() {
      await queue
      await file.close()
    },
  }
}

function apply(state: LedgerState, record: LedgerRecord): void {
  switch (record.kind) {
    case 'punch':
      state.punches.set(record.stored.punch.id, record.stored)
      break
    case 'employee':
      state.employees.set(record.employee.id, { employee: record.employee, seq: record.seq })
      state.seq = Math.max(state.seq, record.seq)
      break
    case 'heartbeat':
      state.heartbeats.set(record.deviceId, record.heartbeat)
      break
    case 'face-templates':
      if (record.body) state.faceTemplates.set(record.employeeId, record.body)
      else state.faceTemplates.delete(record.employeeId)
      break
  }
}
