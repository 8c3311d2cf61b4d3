/**
 * Frappe's answers over /api/method and /api/resource, read as untrusted text. A failed call
 * carries the exception's class in `exc_type` and the user-facing words in `_server_messages`:
 * a JSON list of JSON-encoded `{message, title, indicator, …}` objects (frappe/utils/response.py).
 */
import { reply, z } from '../../../shared/schema'
import { mediaType, type HttpResponse } from '../http'

/** What a Frappe error reply says: the exception class and the message shown to a user. */
export interface FrappeFault {
  /** e.g. ValidationError, AuthenticationError; empty when the reply is not Frappe's. */
  excType: string
  /** The first server message, tags removed; empty when none. */
  said: string
}

const faultSchema = reply({
  exc_type: z.optional(z.unknown()),
  exception: z.optional(z.unknown()),
  _server_messages: z.optional(z.unknown()),
  _error_message: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
})

/** The fault a Frappe reply reports; a reply that is not Frappe's JSON reports nothing. */
export function readFault(res: HttpResponse): FrappeFault {
  if (mediaType(res) !== 'application/json') return { excType: '', said: '' }
  let body: unknown
  try {
    body = JSON.parse(res.data)
  } catch {
    return { excType: '', said: '' }
  }
  const parsed = faultSchema.safeParse(body)
  if (!parsed.success) return { excType: '', said: '' }
  const fault = parsed.data
  const excType = typeof fault.exc_type === 'string' ? fault.exc_type : ''
  const said =
    serverMessage(fault._server_messages) ||
    text(fault._error_message) ||
    exceptionWords(fault.exception) ||
    text(fault.message)
  return { excType, said }
}

/** The first message in `_server_messages`, which is JSON text of a list of JSON texts. */
function serverMessage(value: unknown): string {
  if (typeof value !== 'string') return ''
  try {
    const list: unknown = JSON.parse(value)
    if (!Array.isArray(list)) return ''
    for (const item of list) {
      const entry: unknown = typeof item === 'string' ? JSON.parse(item) : item
      const message =
        typeof entry === 'object' && entry !== null
          ? (entry as { message?: unknown }).message
          : entry
      const words = text(message)
      if (words) return words
    }
  } catch {
    return ''
  }
  return ''
}

/** `frappe.exceptions.ValidationError: words` without the class. */
function exceptionWords(value: unknown): string {
  return text(value).replace(/^[\w.]+(Error|Exception)\s*:\s*/, '')
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

/** A message as plain text: Frappe's messages carry HTML (links, `<br>`, bold). */
function text(value: unknown): string {
  if (typeof value !== 'string') return ''
  return value
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:])/g, '$1')
    .trim()
}
