/** Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with the API key as bearer token. */
import { CrmError, createHttp, readJsonBody, statusError, type HttpResponse } from '../http'
import { OdooRefusal, REFUSALS, odooWords, type OdooCalls } from './calls'

export interface Json2Options {
  baseUrl: URL
  apiKey: string
  /** Sent as X-Odoo-Database when the server hosts several. */
  database: string | null
  timeoutMs: number
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
}

const NAME = 'Odoo'

/** Calls over JSON-2. */
export function json2Calls(opts: Json2Options): OdooCalls {
  const send = createHttp({
    baseUrl: opts.baseUrl,
    timeoutMs: opts.timeoutMs,
    name: NAME,
    headers: {
      Authorization: `bearer ${opts.apiKey}`,
      'Content-Type': 'application/json',
      ...(opts.database ? { 'X-Odoo-Database': opts.database } : {}),
    },
    ...(opts.onServerDate ? { onServerDate: opts.onServerDate } : {}),
  })
  const secrets = [opts.apiKey]
  return {
    async call(model, method, params) {
      const path = `json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`
      const res = await send({ method: 'POST', path, body: params })
      if (res.status === 200) return readJsonBody(res, NAME)
      throw json2Failure(res, secrets)
    },
  }
}

/** A JSON-2 error reply as an OdooRefusal (about the records) or a CrmError (about the call). */
function json2Failure(res: HttpResponse, secrets: readonly string[]): Error {
  const body = errorBody(res)
  const said = odooWords(body?.message, secrets)
  if (body && REFUSALS.includes(body.name) && (res.status === 422 || res.status === 404)) {
    return new OdooRefusal(body.name, said || body.name)
  }
  if (res.status === 404) {
    // No such route (a wrong URL, an Odoo before 19, an unknown database): nothing about the
    // punch, so it must wait for the config to be fixed rather than become a dead letter.
    const hint = 'is crm.url an Odoo 19 with JSON-2, and crm.odoo.database right?'
    return statusError(res, NAME, `${said || 'not found'} (${hint})`, 'server', secrets)
  }
  if (res.status === 422) {
    // The call itself does not fit this Odoo (a missing argument): retry, never dead-letter.
    return statusError(res, NAME, said, 'server', secrets)
  }
  if (res.status === 401)
    return statusError(res, NAME, said || 'Invalid apikey', 'unauthorised', secrets)
  return statusError(res, NAME, said, undefined, secrets)
}

function errorBody(res: HttpResponse): { name: string; message: unknown } | undefined {
  try {
    const body = readJsonBody(res, NAME) as { name?: unknown; message?: unknown } | null
    if (body && typeof body === 'object' && typeof body.name === 'string') {
      return { name: body.name, message: body.message }
    }
  } catch (error) {
    if (!(error instanceof CrmError)) throw error
  }
  return undefined
}
