/** The `crm.odoo` keys: how the kiosk reaches Odoo and finds each person's employee record. */
import { oneOf, z } from '../../../shared/schema'
import {
  or,
  requiredKeys,
  secret,
  section,
  words,
  type CrossKeyRule,
} from '../../config/schema-kit'

export const odooSettings = section({
  /** `json2` (Odoo 19+, API key as bearer) or `xmlrpc` (Odoo 17–18, login and API key). */
  protocol: or(oneOf(['json2', 'xmlrpc']), 'json2'),
  /** The database; needed for XML-RPC, and for JSON-2 when the server hosts several. */
  database: or(z.nullable(words(1, 200)), null),
  /** XML-RPC: the user whose API key this is. */
  login: or(z.nullable(words(1, 200)), null),
  apiKey: or(secret(z.nullable(words(8, 4096))), null),
  /** The hr.employee field that holds the kiosk's employee id. */
  employeeField: or(oneOf(['barcode', 'pin', 'id']), 'barcode'),
})

export type OdooSettings = z.output<typeof odooSettings>

/** What `crm.kind` "odoo" needs set. */
export function odooRules(odoo: OdooSettings, url: string | null): CrossKeyRule[] {
  const because = '"crm.kind" "odoo"'
  return [
    ...requiredKeys({ url }, [], because),
    ...requiredKeys({ apiKey: odoo.apiKey }, ['odoo'], because),
    ...(odoo.protocol === 'xmlrpc'
      ? requiredKeys(
          { database: odoo.database, login: odoo.login },
          ['odoo'],
          `${because} over XML-RPC`,
        )
      : []),
  ]
}
