/**
 * A fake Odoo 19 on 127.0.0.1 speaking JSON-2 and XML-RPC as the real one does (status codes,
 * error bodies, fault codes, "Invalid apikey", 422 ValidationErrors with Odoo's messages), with
 * faults to order: canned replies, a reply lost after its write landed, a revoked key.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  Deserializer,
  serializeFault,
  serializeMethodResponse,
  XmlRpcFault,
  type XmlRpcValue,
} from '@foxglove/xmlrpc'
import { callMethod } from './fake-odoo-methods'
import { FakeRecords, OdooException } from './fake-odoo-models'

/** A reply served instead of the real one. */
export interface CannedReply {
  status: number
  body?: string
  type?: string
  headers?: Record<string, string>
}

export interface FakeOdoo {
  url: string
  db: string
  login: string
  apiKey: string
  uid: number
  records: FakeRecords
  /** Every model call served, in order. */
  calls: { protocol: 'json2' | 'xmlrpc'; model: string; method: string }[]
  /** The next `times` requests get `reply` without being carried out. */
  answerNext(reply: CannedReply, times?: number): void
  /** The next `times` calls of `model.method` get `reply` without being carried out. */
  answerCall(model: string, method: string, reply: CannedReply, times?: number): void
  /** The next call of `model.method` is carried out, then the connection drops unanswered. */
  loseReplyOf(model: string, method: string): void
  /** Replaces the API key: the old one is refused from now on. */
  revokeKey(): void
  close(): Promise<void>
}

// A reply deliberately never sent.
const LOST = Symbol('lost')
const RECORD_METHODS = new Set(['write', 'unlink', 'read'])

/** Starts a fake Odoo with database `kiosk` and user `admin` (uid 2). */
export async function startFakeOdoo(now: () => number = Date.now): Promise<FakeOdoo> {
  const records = new FakeRecords(now)
  records.addEmployee({ name: 'Administrator' })
  const canned: CannedReply[] = []
  const losing: string[] = []
  const forCall = new Map<string, CannedReply[]>()
  let keyCount = 0
  const fake: FakeOdoo = {
    url: '',
    db: 'kiosk',
    login: 'admin',
    apiKey: 'fake-odoo-api-key-0000000000',
    uid: 2,
    records,
    calls: [],
    answerNext: (reply, times = 1) => {
      for (let i = 0; i < times; i++) canned.push(reply)
    },
    answerCall: (model, method, reply, times = 1) =>
      forCall.set(
        `${model}.${method}`,
        Array.from({ length: times }, () => reply),
      ),
    loseReplyOf: (model, method) => losing.push(`${model}.${method}`),
    revokeKey: () => {
      fake.apiKey = `fake-odoo-api-key-${++keyCount}`.padEnd(28, '0')
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }

  const run = (
    protocol: 'json2' | 'xmlrpc',
    model: string,
    method: string,
    params: Record<string, unknown>,
    res: ServerResponse,
  ) => {
    fake.calls.push({ protocol, model, method })
    const reply = forCall.get(`${model}.${method}`)?.shift()
    if (reply) {
      sendCanned(res, reply)
      return LOST
    }
    const result = callMethod(records, fake.uid, model, method, params)
    const at = losing.indexOf(`${model}.${method}`)
    if (at >= 0) {
      losing.splice(at, 1)
      res.socket?.destroy()
      return LOST
    }
    return result
  }

  const json2 = (req: IncomingMessage, body: string, res: ServerResponse) => {
    const match = /^\/json\/2\/([^/]+)\/([^/?]+)$/.exec(req.url ?? '')
    const database = req.headers['x-odoo-database']
    if (database !== undefined && database !== fake.db) {
      return send(res, 404, NO_DATABASE_PAGE, 'text/html; charset=utf-8')
    }
    const token = /^bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]
    if (token !== fake.apiKey) {
      return jsonError(
        res,
        new OdooException('werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401, 3),
        {
          'WWW-Authenticate': 'Bearer',
        },
      )
    }
    if (!match || req.method !== 'POST') {
      return jsonError(
        res,
        new OdooException(
          'werkzeug.exceptions.NotFound',
          'Did you mean POST /json/2/<model>/<method>?',
          404,
          1,
        ),
      )
    }
    let params: Record<string, unknown>
    try {
      params = body ? (JSON.parse(body) as Record<string, unknown>) : {}
    } catch (error) {
      const e = `could not parse the body as json: ${(error as Error).message}`
      return jsonError(res, new OdooException('werkzeug.exceptions.BadRequest', e, 400, 1))
    }
    try {
      const result = run(
        'json2',
        decodeURIComponent(match[1]!),
        decodeURIComponent(match[2]!),
        params,
        res,
      )
      if (result !== LOST) send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8')
    } catch (error) {
      if (!(error instanceof OdooException)) throw error
      jsonError(res, error)
    }
  }

  const xmlrpc = async (req: IncomingMessage, body: string, res: ServerResponse) => {
    const service = /^\/xmlrpc\/2\/(common|object|db)$/.exec(req.url ?? '')?.[1]
    if (!service) return send(res, 404, '<h1>Not Found</h1>', 'text/html; charset=utf-8')
    let answer: XmlRpcValue | typeof LOST
    try {
      const [method, args] = await new Deserializer().deserializeMethodCall(body)
      answer = xmlRpcCall(service, method, args, res)
    } catch (error) {
      const e =
        error instanceof OdooException
          ? error
          : new OdooException('builtins.Exception', String(error), 500, 1)
      // Code 1 carries the server's traceback, as Odoo's does.
      const text =
        e.fault === 1
          ? `Traceback (most recent call last):\n  File "odoo/http.py"\n${e.exception.replace(/^builtins\./, '')}: ${e.message}\n`
          : e.message
      return send(
        res,
        200,
        serializeFault(new XmlRpcFault(text, e.fault)),
        'text/xml; charset=utf-8',
      )
    }
    if (answer !== LOST) send(res, 200, serializeMethodResponse(answer), 'text/xml; charset=utf-8')
  }

  const xmlRpcCall = (
    service: string,
    method: string,
    args: XmlRpcValue[],
    res: ServerResponse,
  ): XmlRpcValue | typeof LOST => {
    if (service === 'common' && method === 'version') {
      return {
        server_version: '19.0',
        server_version_info: [19, 0, 0, 'final', 0, ''],
        server_serie: '19.0',
        protocol_version: 1,
      }
    }
    if (service === 'common' && method === 'authenticate') {
      fake.calls.push({ protocol: 'xmlrpc', model: 'common', method })
      const [db, login, key] = args
      return db === fake.db && login === fake.login && key === fake.apiKey ? fake.uid : false
    }
    if (service === 'object' && method === 'execute_kw') {
      const [db, uid, key, model, name, positional = [], named = {}] = args as [
        string,
        number,
        string,
        string,
        string,
        unknown[],
        Record<string, unknown>,
      ]
      if (db !== fake.db)
        throw new OdooException(
          'psycopg2.OperationalError',
          `database "${db}" does not exist`,
          500,
          1,
        )
      if (uid !== fake.uid || key !== fake.apiKey)
        throw new OdooException('odoo.exceptions.AccessDenied', 'Access Denied', 403, 3)
      const params: Record<string, unknown> = { ...named }
      if (name === 'create') params.vals_list = positional[0]
      else if (RECORD_METHODS.has(name)) {
        params.ids = positional[0]
        if (name === 'write' && positional[1] !== undefined) params.vals = positional[1]
      } else if (positional[0] !== undefined) params.domain = positional[0]
      return run('xmlrpc', model, name, params, res) as XmlRpcValue | typeof LOST
    }
    throw new OdooException('builtins.KeyError', `'${method}'`, 500, 1)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const reply = canned.shift()
      if (reply) {
        return send(
          res,
          reply.status,
          reply.body ?? '',
          reply.type ?? 'application/json',
          reply.headers,
        )
      }
      const body = Buffer.concat(chunks).toString('utf8')
      if (req.url?.startsWith('/xmlrpc/')) void xmlrpc(req, body, res)
      else json2(req, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}

const NO_DATABASE_PAGE =
  '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n'

function sendCanned(res: ServerResponse, reply: CannedReply): void {
  send(res, reply.status, reply.body ?? '', reply.type ?? 'application/json', reply.headers)
}

function jsonError(
  res: ServerResponse,
  e: OdooException,
  headers: Record<string, string> = {},
): void {
  const body = {
    name: e.exception,
    message: e.message,
    arguments: [e.message],
    context: {},
    debug: `Traceback (most recent call last):\n  File "odoo/http.py"\n${e.exception}: ${e.message}`,
  }
  send(res, e.status, JSON.stringify(body), 'application/json; charset=utf-8', headers)
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    Date: new Date().toUTCString(),
    ...headers,
  })
  res.end(body)
}
