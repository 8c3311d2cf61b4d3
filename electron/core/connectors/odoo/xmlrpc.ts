/**
 * Odoo 17–18's XML-RPC API: `common.authenticate` turns login and API key into a user id,
 * then `object.execute_kw(db, uid, key, model, method, args, kwargs)` calls a model method.
 */
import { Deserializer, serializeMethodCall, XmlRpcFault, type XmlRpcValue } from '@foxglove/xmlrpc'
import { CrmError, createHttp, mediaType, statusError, type HttpResponse } from '../http'
import { OdooRefusal, odooWords, positional, type OdooCalls } from './calls'

export interface XmlRpcOptions {
  baseUrl: URL
  database: string
  login: string
  apiKey: string
  timeoutMs: number
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
}

const NAME = 'Odoo'
// Odoo's XML-RPC fault codes (odoo/addons/rpc/controllers/xmlrpc.py).
const FAULT_WARNING = 2
const FAULT_ACCESS_DENIED = 3
const FAULT_ACCESS_ERROR = 4

/** Calls over XML-RPC, authenticating once and again when Odoo stops knowing the key. */
export function xmlRpcCalls(opts: XmlRpcOptions): OdooCalls & { version(): Promise<unknown> } {
  const send = createHttp({
    baseUrl: opts.baseUrl,
    timeoutMs: opts.timeoutMs,
    name: NAME,
    headers: { 'Content-Type': 'text/xml', Accept: 'text/xml' },
    ...(opts.onServerDate ? { onServerDate: opts.onServerDate } : {}),
  })
  const secrets = [opts.apiKey]
  let uid: number | undefined

  const rpc = async (service: string, method: string, params: XmlRpcValue[]) => {
    const body = serializeMethodCall(method, params)
    const res = await send({ method: 'POST', path: `xmlrpc/2/${service}`, body })
    return readResponse(res, secrets)
  }
  const authenticate = async (): Promise<number> => {
    const answer = await rpc('common', 'authenticate', [opts.database, opts.login, opts.apiKey, {}])
    if (typeof answer !== 'number' || answer <= 0) {
      throw new CrmError(
        'unauthorised',
        `Odoo refused login "${odooWords(opts.login, secrets)}" with this API key on database "${odooWords(opts.database, secrets)}"`,
      )
    }
    return answer
  }
  const execute = async (
    user: number,
    model: string,
    method: string,
    args: unknown[],
    kw: object,
  ) =>
    rpc('object', 'execute_kw', [
      opts.database,
      user,
      opts.apiKey,
      model,
      method,
      args as XmlRpcValue[],
      kw as XmlRpcValue,
    ])

  return {
    version: () => rpc('common', 'version', []),
    async call(model, method, params) {
      const [args, kw] = positional(method, params)
      const known = uid !== undefined
      uid ??= await authenticate()
      try {
        return await execute(uid, model, method, args, kw)
      } catch (error) {
        // A key revoked and re-issued, or the user recreated: authenticate once more, then stop.
        if (!known || !(error instanceof CrmError) || error.kind !== 'unauthorised') throw error
        uid = await authenticate()
        return await execute(uid, model, method, args, kw)
      }
    },
  }
}

async function readResponse(res: HttpResponse, secrets: readonly string[]): Promise<unknown> {
  if (res.status !== 200) throw statusError(res, NAME, '', undefined, secrets)
  const type = mediaType(res)
  if (type !== 'text/xml' && type !== 'application/xml') {
    throw new CrmError('malformed', `expected XML-RPC from ${NAME}, got ${type || 'no type'}`, {
      status: res.status,
    })
  }
  try {
    return await new Deserializer().deserializeMethodResponse(res.data)
  } catch (error) {
    if (error instanceof XmlRpcFault) throw faultError(error, secrets)
    throw new CrmError('malformed', `unexpected reply from ${NAME}: not an XML-RPC response`, {
      status: res.status,
    })
  }
}

/** An XML-RPC fault as an OdooRefusal (about the records) or a CrmError (about the call). */
function faultError(fault: XmlRpcFault, secrets: readonly string[]): Error {
  const said = fault.faultString ?? ''
  switch (fault.faultCode) {
    case FAULT_WARNING:
      return new OdooRefusal(
        /does not exist or has been deleted/.test(said)
          ? 'odoo.exceptions.MissingError'
          : 'odoo.exceptions.UserError',
        odooWords(said, secrets) || 'refused',
      )
    case FAULT_ACCESS_DENIED:
    case FAULT_ACCESS_ERROR:
      return new CrmError('unauthorised', `${NAME} refused access: ${odooWords(said, secrets)}`)
    default: {
      // Code 1 carries a server traceback: only its last line says what went wrong.
      const last = said.trim().split('\n').pop() ?? ''
      return new CrmError('server', `${NAME} failed: ${odooWords(last, secrets)}`)
    }
  }
}
