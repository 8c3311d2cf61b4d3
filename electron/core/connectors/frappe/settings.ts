/** The `crm.frappe` keys: the site's API key pair and how punches name the employee. */
import { finite, oneOf, z } from '../../../shared/schema'
import {
  or,
  requiredKeys,
  secret,
  section,
  words,
  type CrossKeyRule,
} from '../../config/schema-kit'

const FIELDNAME = 'a Frappe field name (lower case letters, digits and _)'
const fieldName = () => words(1, 140).check(z.regex(/^[a-z][a-z0-9_]*$/, { error: FIELDNAME }))

export const frappeSettings = section({
  apiKey: or(z.nullable(words(1, 200)), null),
  apiSecret: or(secret(z.nullable(words(1, 200))), null),
  /** The Employee field that holds the kiosk's employee id. */
  employeeField: or(fieldName(), 'attendance_device_id'),
  /**
   * The Employee field with the person's badge number (a custom field, or the same one as
   * employeeField). The staff list from Frappe replaces the kiosk's, badges included: unset, a
   * pulled person has no badge at the kiosk and is recognised by face only.
   */
  badgeField: or(z.nullable(fieldName()), null),
  /** `hrms` (Frappe HR v14+) or `erpnext` (the method's place before v14). */
  app: or(oneOf(['hrms', 'erpnext']), 'hrms'),
  /** Sent with every check-in, for sites that require a location (HR Settings). */
  latitude: or(z.nullable(finite(-90, 90)), null),
  longitude: or(z.nullable(finite(-180, 180)), null),
  /**
   * Shift Types whose "Last Sync of Checkin" the kiosk advances once its queue is empty, so
   * auto attendance never closes a shift before the kiosk's offline punches are in. Empty: never.
   */
  shiftTypes: or(z.array(words(1, 140), { error: 'a list of Shift Type names' }), []),
})

export type FrappeSettings = z.output<typeof frappeSettings>

/** What `crm.kind` "frappe" needs set. */
export function frappeRules(frappe: FrappeSettings, url: string | null): CrossKeyRule[] {
  const because = '"crm.kind" "frappe"'
  return [
    ...requiredKeys({ url }, [], because),
    ...requiredKeys({ apiKey: frappe.apiKey, apiSecret: frappe.apiSecret }, ['frappe'], because),
    ...((frappe.latitude === null) !== (frappe.longitude === null)
      ? [
          {
            path: ['frappe', 'latitude'],
            sentence: '"crm.frappe.latitude" and "crm.frappe.longitude" must be set together',
          },
        ]
      : []),
  ]
}
