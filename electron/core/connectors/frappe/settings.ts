/** The `crm.frappe` keys: the site's API key pair and how punches name the employee. */
import { oneOf, z } from '../../../shared/schema'
import {
  or,
  requiredKeys,
  secret,
  section,
  words,
  type CrossKeyRule,
} from '../../config/schema-kit'

export const frappeSettings = section({
  apiKey: or(z.nullable(words(1, 200)), null),
  apiSecret: or(secret(z.nullable(words(1, 200))), null),
  /** The Employee field that holds the kiosk's employee id. */
  employeeField: or(words(1, 140), 'attendance_device_id'),
  /** `hrms` (Frappe HR v14+) or `erpnext` (the method's place before v14). */
  app: or(oneOf(['hrms', 'erpnext']), 'hrms'),
})

export type FrappeSettings = z.output<typeof frappeSettings>

/** What `crm.kind` "frappe" needs set. */
export function frappeRules(frappe: FrappeSettings, url: string | null): CrossKeyRule[] {
  const because = '"crm.kind" "frappe"'
  return [
    ...requiredKeys({ url }, [], because),
    ...requiredKeys({ apiKey: frappe.apiKey, apiSecret: frappe.apiSecret }, ['frappe'], because),
  ]
}
