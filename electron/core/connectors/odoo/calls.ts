/**
 * One way to call an Odoo model method, whichever protocol carries it: JSON-2 (Odoo 19+) or
 * XML-RPC (Odoo 17–18). The attendance logic is written once, against this.
 */
import { CrmError, safeWords } from '../http'

/** Named arguments of a model method, as JSON-2 takes them (`ids` for record methods). */
export type OdooParams = Record<string, unknown> & { ids?: number[] }

export interface OdooCalls {
  /** `model.method(**params)` as the API key's user; throws OdooRefusal or CrmError. */
  call(model: string, method: string, params: OdooParams): Promise<unknown>
}

/**
 * Odoo refused this one call for a reason about the records (a ValidationError such as an
 * overlap, a UserError, a MissingError): the punch is refused, the connection is fine.
 */
export class OdooRefusal extends Error {
  constructor(
    /** Odoo's exception class, e.g. `odoo.exceptions.ValidationError`, when it said so. */
    readonly exception: string,
    message: string,
  ) {
    super(message)
    this.name = 'OdooRefusal'
  }
}

/** Odoo's exceptions that are about the records, not the call (JSON-2 names them). */
export const REFUSALS = [
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.UserError',
  'odoo.exceptions.MissingError',
]

/** Odoo's own words, safe for a dead letter: one line, printable, no secret, bounded. */
export function odooWords(said: unknown, secrets: readonly string[]): string {
  return safeWords(said, secrets, 300)
}

/** The arguments of a method call as XML-RPC's execute_kw takes them: positional and named. */
export function positional(
  method: string,
  params: OdooParams,
): [unknown[], Record<string, unknown>] {
  const { ids, vals_list: valsList, ...named } = params
  // execute_kw passes the first positional argument as the records' ids, except for
  // @api.model methods; create must get its list positionally to answer a list of ids.
  if (method === 'create') return [[valsList], named]
  if (ids !== undefined)
    return [[ids], valsList === undefined ? named : { ...named, vals_list: valsList }]
  return [[], valsList === undefined ? named : { ...named, vals_list: valsList }]
}

/** A search_read answer: a list of records each with a numeric id, or a `malformed` CrmError. */
export function readRows<T extends { id: number }>(answer: unknown, what: string): T[] {
  if (
    !Array.isArray(answer) ||
    !answer.every((row) => typeof row === 'object' && row !== null && typeof row.id === 'number')
  ) {
    throw new CrmError('malformed', `unexpected reply from Odoo to ${what} search_read`)
  }
  return answer as T[]
}
