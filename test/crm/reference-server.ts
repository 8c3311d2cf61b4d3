/** A reference CRM that speaks crm-api.yaml exactly: every request is checked against it. */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { CrmEmployee, CrmFaceTemplatesBody } from '../../electron/core/sync/crm-types'
import { loadContract } from './contract'
import { close, listen, readBody } from './http-kit'
import { operations, type Reply } from './reference-operations'
import { openLedger, type Ledger, type StoredHeartbeat, type StoredPunch } from './reference-store'

export type { StoredHeartbeat, StoredPunch } from './reference-store'

/** The token `npm run crm:dev` and tests use unless told otherwise. */
export const DEV_DEVICE_TOKEN = 'dev-device-token'
const MAX_BODY_BYTES = 4 * 1024 * 1024

export interface ReferenceCrmOptions {
  /** Where the ledger lives; a server started again on it keeps everything. */
  dataDir: string
  /** Accepted device tokens (default: the dev token). */
  tokens?: string[]
  /** 0 or absent: any free port. */
  port?: number
  /** Added to the server's clock: Date headers, health time and the invalid_time check. */
  clockSkewMs?: number
  /** Employees per roster page (default 100). */
  pageSize?: number
  /** Largest batch before 413 (default 500, the contract's). */
  maxBatch?: number
  /** Receipts per page (default 1000, the contract's most). */
  receiptsPageSize?: number
}

export interface ReferenceCrm {
  url: string
  port: number
  stop(): Promise<void>
  /** Stops and starts again on the same port and data, as after a crash or a deploy. */
  restart(): Promise<void>
  /** Every punch created, in arrival order. */
  punches(): StoredPunch[]
  /** Adds or changes an employee (a roster change kiosks will see after their cursor). */
  upsertEmployee(employee: CrmEmployee): Promise<void>
  employees(): CrmEmployee[]
  /** The last heartbeat of each device, by device id. */
  heartbeats(): Record<string, StoredHeartbeat>
  faceTemplates(employeeId: string): CrmFaceTemplatesBody | undefined
}

/** Starts the reference CRM on 127.0.0.1. */
export async function startReferenceCrm(opts: ReferenceCrmOptions): Promise<ReferenceCrm> {
  const contract = await loadContract()
  const tokens = (opts.tokens ?? [DEV_DEVICE_TOKEN]).map((t) => Buffer.from(t))
  const config = {
    now: () => Date.now() + (opts.clockSkewMs ?? 0),
    pageSize: opts.pageSize ?? 100,
    maxBatch: opts.maxBatch ?? 500,
    receiptsPageSize: opts.receiptsPageSize ?? 1000,
  }
  let ledger: Ledger = await openLedger(opts.dataDir)

  const tokenAccepted = (authorization: string | undefined) => {
    const token = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '')
    return tokens.some((t) => t.length === token.length && timingSafeEqual(t, token))
  }

  async function answer(req: IncomingMessage): Promise<Reply> {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://crm.invalid')
    const operation = contract.operationFor(method, url.pathname)
    if (!operation?.operationId) return problem(404, 'not_found', `no ${method} ${url.pathname}`)
    if (contract.needsToken(operation) && !tokenAccepted(req.headers.authorization)) {
      return problem(401, 'unauthorised', 'missing or invalid device token')
    }
    let raw: Buffer
    try {
      raw = await readBody(req, MAX_BODY_BYTES)
    } catch {
      return problem(413, 'too_large', `request body over ${MAX_BODY_BYTES} bytes`)
    }
    let body: unknown
    if (operation.requestBody) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (type !== 'application/json') {
        return problem(
          400,
          'bad_request',
          'a JSON body is required (Content-Type: application/json)',
        )
      }
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        return problem(400, 'bad_request', 'the body is not valid JSON')
      }
    }
    // Checked before the schema so an oversized batch gets 413 ("send fewer"), not 400.
    const punches = (body as { punches?: unknown } | undefined)?.punches
    if (Array.isArray(punches) && punches.length > config.maxBatch) {
      return problem(413, 'too_large', `at most ${config.maxBatch} punches per batch`)
    }
    const headers = req.headers as Record<string, string | string[]>
    const problems = contract.requestProblems({ method, path: req.url ?? '/', headers, body })
    if (problems.length > 0) return problem(400, 'bad_request', problems.join('; '))
    let params: Record<string, string>
    try {
      params = contract.pathParams(operation, url.pathname)
    } catch {
      return problem(400, 'bad_request', 'a path parameter is not valid percent-encoding')
    }
    const run = operations[operation.operationId]
    if (!run) return problem(404, 'not_found', `no ${method} ${url.pathname}`)
    return run({ ledger, config, params, query: url.searchParams, body })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply
    try {
      reply = await answer(req)
    } catch (error) {
      reply = problem(500, 'internal', error instanceof Error ? error.message : 'internal error')
    }
    // Node would stamp its own clock; the CRM's (skewed) clock is the one kiosks measure against.
    res.setHeader('Date', new Date(config.now()).toUTCString())
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
    if (reply.status === 413) res.setHeader('Connection', 'close')
    if (reply.body === undefined) {
      res.writeHead(reply.status).end()
    } else {
      const json = JSON.stringify(reply.body)
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' }).end(json)
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  server.keepAliveTimeout = 30_000
  const { url, port } = await listen(server, opts.port ?? 0)

  return {
    url,
    port,
    async stop() {
      await close(server)
      await ledger.close()
    },
    async restart() {
      await close(server)
      await ledger.close()
      ledger = await openLedger(opts.dataDir)
      await listen(server, port)
    },
    punches: () => [...ledger.state.punches.values()],
    upsertEmployee: (employee) =>
      ledger.transact((state) => {
        // Re-sending the same employee is not a change: kiosks would download it again for nothing.
        const same =
          JSON.stringify(state.employees.get(employee.id)?.employee) === JSON.stringify(employee)
        const record = {
          kind: 'employee' as const,
          seq: state.seq + 1,
          employee: structuredClone(employee),
        }
        return { records: same ? [] : [record], result: undefined }
      }),
    employees: () => [...ledger.state.employees.values()].map((e) => e.employee),
    heartbeats: () => Object.fromEntries(ledger.state.heartbeats),
    faceTemplates: (employeeId) => ledger.state.faceTemplates.get(employeeId),
  }
}

function problem(status: number, error: string, message: string): Reply {
  return { status, body: { error, message } }
}
