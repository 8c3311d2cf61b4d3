/** crm-api.yaml as a validator: openapi-backend routes and reads parameters, Ajv 2020 checks. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend'

// js-yaml ships no types.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }

/** The project's copy of the contract. */
export const contractPath = fileURLToPath(
  new URL('../../electron/core/sync/crm-api.yaml', import.meta.url),
)

type Headers = Record<string, string | string[] | undefined>

/** One request as it went over the wire; `path` includes the query string. */
export interface WireRequest {
  method: string
  path: string
  headers: Headers
  body: string
}

/** One request and the answer it got, as they went over the wire. */
export interface Exchange {
  request: WireRequest
  status: number
  headers: Headers
  body: string
}

export interface Contract {
  /** The operation a request addresses, by method and path (query ignored). */
  operationFor(method: string, path: string): Operation | undefined
  /** The path parameters of a request path for its operation, e.g. { employeeId: 'E1' }. */
  pathParams(operation: Operation, path: string): Record<string, string>
  /** Whether the operation demands the bearer device token (global or own `security`). */
  needsToken(operation: Operation): boolean
  /** What is wrong with a request whose JSON body (if any) is already parsed; [] if nothing. */
  requestProblems(req: Omit<WireRequest, 'body'> & { body?: unknown }): string[]
  /** What is wrong with a request as sent, raw body included. */
  wireRequestProblems(req: WireRequest): string[]
  /** What is wrong with a response to a request; [] if it conforms. */
  responseProblems(exchange: Exchange): string[]
}

let loading: Promise<Contract> | undefined

/** The contract, loaded once per process. */
export function loadContract(): Promise<Contract> {
  loading ??= buildContract()
  return loading
}

async function buildContract(): Promise<Contract> {
  const document = yaml.load(readFileSync(contractPath, 'utf8')) as OpenApiDocument
  // openapi-backend keys everything by operationId, which the contract leaves out.
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item))
      op.operationId = `${method.toUpperCase()} ${path}`
  }
  const api = new OpenAPIBackend({
    definition: document as unknown as Document,
    strict: true,
    // quick skips openapi-backend's own document check, which knows only the 3.0 meta-schema;
    // crm-api.test.ts checks the document against the 3.1 one instead.
    quick: true,
    // openapi-backend's default Ajv is draft-07 and ignores formats; OpenAPI 3.1 is 2020-12.
    customizeAjv: (_draft07, ajvOpts) => {
      const ajv = new Ajv2020({ ...ajvOpts, strict: false, allErrors: true })
      addFormats(ajv)
      return ajv as never
    },
  })
  await api.init()
  const validator = api.validator

  const operationFor = (method: string, path: string) =>
    api.router.matchOperation({
      method: method.toLowerCase(),
      path: path.split('?')[0]!,
      headers: {},
    })
  const needsToken = (operation: Operation) =>
    (operation.security ?? document.security ?? []).some((req) => 'deviceToken' in req)

  const pathParams = (operation: Operation, path: string) => {
    const raw = api.router.parseRequest({ method: 'get', path, headers: {} }, operation).params
    return Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, decodeURIComponent(String(v))]),
    )
  }

  function requestProblems(req: Omit<WireRequest, 'body'> & { body?: unknown }): string[] {
    const operation = operationFor(req.method, req.path)
    if (!operation) return [`${req.method} ${req.path.split('?')[0]} is not in the contract`]
    const problems: string[] = []
    if (
      needsToken(operation) &&
      !/^Bearer [\x21-\x7e]+$/.test(header(req.headers, 'authorization'))
    ) {
      problems.push('no bearer device token')
    }
    const [path, query = ''] = req.path.split('?') as [string, string?]
    const result = validator.validateRequest(
      {
        method: req.method.toLowerCase(),
        path,
        query,
        headers: clean(req.headers),
        body: req.body as never,
      },
      operation,
    )
    return [...problems, ...describe('request', result.errors)]
  }

  function wireRequestProblems(req: WireRequest): string[] {
    if (req.body === '') return requestProblems({ ...req, body: undefined })
    if (mediaType(req.headers) !== 'application/json')
      return ['request body is not application/json']
    const body = parseJson(req.body)
    return body.ok
      ? requestProblems({ ...req, body: body.value })
      : ['request body is not valid JSON']
  }

  function responseProblems({ request, status, headers, body }: Exchange): string[] {
    const operation = operationFor(request.method, request.path)
    if (!operation) return [`${request.method} ${request.path} is not in the contract`]
    const problems: string[] = []
    if (Number.isNaN(Date.parse(header(headers, 'date')))) problems.push('no valid Date header')
    const responses = (operation.responses ?? {}) as Record<string, ResponseObject>
    const declared =
      responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default
    if (!declared)
      return [...problems, `status ${status} is not declared for ${operation.operationId}`]
    const headerResult = validator.validateResponseHeaders(clean(headers), operation, {
      statusCode: status,
    })
    problems.push(...describe('response headers', headerResult.errors))
    if (declared.content?.['application/json']?.schema) {
      if (mediaType(headers) !== 'application/json')
        return [...problems, 'response is not application/json']
      const parsed = parseJson(body)
      if (!parsed.ok) return [...problems, 'response body is not valid JSON']
      problems.push(
        ...describe('response', validator.validateResponse(parsed.value, operation, status).errors),
      )
    } else if (status === 204 && body !== '') {
      problems.push('a 204 response has a body')
    }
    return problems
  }

  return {
    operationFor,
    pathParams,
    needsToken,
    requestProblems,
    wireRequestProblems,
    responseProblems,
  }
}

interface ResponseObject {
  content?: Record<string, { schema?: unknown }>
}
interface OpenApiDocument {
  security?: Record<string, string[]>[]
  paths: Record<string, Record<string, { operationId?: string }>>
}

function describe(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${where}${e.instancePath.replace(/^\/requestBody/, ' body')} ${e.message ?? e.keyword}`,
  )
}

function header(headers: Headers, name: string): string {
  const value = headers[name] ?? headers[name.toLowerCase()]
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
}

function clean(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = value
  return out
}

function mediaType(headers: Headers): string {
  return header(headers, 'content-type').split(';')[0]!.trim().toLowerCase()
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}
