/** What the reference CRM does for each operation of crm-api.yaml, once a request is valid. */
import type {
  CrmEmployee,
  CrmFaceTemplatesBody,
  CrmPunchResult,
  CrmUploadRequest,
  HeartbeatBody,
} from '../../electron/core/sync/crm-types'
import { receiptsPage } from './reference-receipts'
import type { Ledger, LedgerRecord, StoredPunch } from './reference-store'

/** An answer before it is written: status, JSON body (absent for 204) and extra headers. */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** A validated request: the body already matches the contract. */
export interface OperationInput {
  ledger: Ledger
  config: { now(): number; pageSize: number; maxBatch: number; receiptsPageSize: number }
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Handlers by operationId (`METHOD /path`). */
export const operations: Record<string, (input: OperationInput) => Promise<Reply> | Reply> = {
  'GET /v1/health': ({ config }) => ({
    status: 200,
    body: { status: 'ok', time: new Date(config.now()).toISOString() },
  }),

  'POST /v1/punches': async ({ ledger, config, body }) => {
    const { deviceId, punches } = body as CrmUploadRequest
    const results = await ledger.transact((state) => {
      const records: LedgerRecord[] = []
      const seen = new Set<string>()
      const now = config.now()
      const receivedAt = new Date(now).toISOString()
      const results = punches.map((punch): CrmPunchResult => {
        const { id } = punch
        // Dedup by id forever, within the batch too; a duplicate changes nothing.
        if (state.punches.has(id) || seen.has(id)) return { id, status: 'duplicate' }
        const employee = state.employees.get(punch.employeeId)?.employee
        if (!employee) return { id, status: 'rejected', reason: 'unknown_employee' }
        if (!employee.active) return { id, status: 'rejected', reason: 'inactive_employee' }
        if (Date.parse(punch.occurredAt) > now + DAY_MS) {
          return { id, status: 'rejected', reason: 'invalid_time' }
        }
        // The contract: an amended or voided punch names the punch it replaces or cancels.
        const kind = punch.correction?.kind
        if ((kind === 'amended' || kind === 'voided') && !punch.correction?.supersedes) {
          return { id, status: 'rejected', reason: 'invalid_correction' }
        }
        seen.add(id)
        const stored: StoredPunch = { punch, deviceId, receivedAt }
        records.push({ kind: 'punch', stored })
        return { id, status: 'created' }
      })
      return { records, result: results }
    })
    return { status: 200, body: { results } }
  },

  'GET /v1/roster': ({ ledger, config, query }) => {
    const after = readCursor(query.get('cursor'), ledger.state.seq)
    const siteId = query.get('siteId')
    const changes = [...ledger.state.employees.values()]
      .filter((change) => change.seq > after)
      .sort((a, b) => a.seq - b.seq)
    const page = changes.slice(0, config.pageSize)
    const last = page.at(-1)?.seq ?? Math.max(after, 0)
    return {
      status: 200,
      body: {
        employees: page.map(({ employee }) => forSite(employee, siteId)),
        cursor: writeCursor(last),
        hasMore: changes.length > page.length,
      },
    }
  },

  'GET /v1/devices/{deviceId}/receipts': ({ ledger, config, params, query }) => ({
    status: 200,
    body: receiptsPage(ledger.state, {
      deviceId: params.deviceId!,
      from: Date.parse(query.get('from')!),
      to: Date.parse(query.get('to')!),
      cursor: query.get('cursor'),
      pageSize: config.receiptsPageSize,
    }),
  }),

  'PUT /v1/employees/{employeeId}/face-templates': async ({ ledger, params, body }) => {
    const employeeId = params.employeeId!
    const known = await ledger.transact((state) => {
      if (!state.employees.has(employeeId)) return { records: [], result: false }
      const record: LedgerRecord = {
        kind: 'face-templates',
        employeeId,
        body: body as CrmFaceTemplatesBody,
      }
      return { records: [record], result: true }
    })
    if (!known) return { status: 404, body: { error: 'unknown_employee', message: employeeId } }
    return { status: 204 }
  },

  'DELETE /v1/employees/{employeeId}/face-templates': async ({ ledger, params }) => {
    const employeeId = params.employeeId!
    await ledger.transact((state) => ({
      records: state.faceTemplates.has(employeeId)
        ? [{ kind: 'face-templates', employeeId, body: null }]
        : [],
      result: undefined,
    }))
    return { status: 204 }
  },

  'POST /v1/devices/{deviceId}/heartbeat': async ({ ledger, config, params, body }) => {
    const heartbeat = {
      body: body as HeartbeatBody,
      receivedAt: new Date(config.now()).toISOString(),
    }
    await ledger.transact(() => ({
      records: [{ kind: 'heartbeat', deviceId: params.deviceId!, heartbeat }],
      result: undefined,
    }))
    return { status: 204 }
  },
}

// Kiosks of another site learn of an employee only as gone, so they drop what they hold.
function forSite(employee: CrmEmployee, siteId: string | null): CrmEmployee {
  const here = !siteId || !employee.siteIds?.length || employee.siteIds.includes(siteId)
  return here ? employee : { id: employee.id, name: employee.name, active: false }
}

function writeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, seq })).toString('base64url')
}

// A cursor this server cannot place (garbage, or ahead of it after a restore) means "start over":
// the contract says an absent cursor is a full sync, and a full sync is always safe.
function readCursor(cursor: string | null, currentSeq: number): number {
  if (cursor === null) return 0
  try {
    const { v, seq } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      v?: unknown
      seq?: unknown
    }
    if (v === 1 && Number.isInteger(seq) && (seq as number) >= 0 && (seq as number) <= currentSeq) {
      return seq as number
    }
  } catch {
    // fall through to a full sync
  }
  return 0
}
