/** The `crm.feishu` keys: the self-built app that gives the tenant access token. */
import { oneOf, z } from '../../../shared/schema'
import {
  or,
  requiredKeys,
  secret,
  section,
  words,
  type CrossKeyRule,
} from '../../config/schema-kit'

export const feishuSettings = section({
  appId: or(z.nullable(words(1, 200)), null),
  appSecret: or(secret(z.nullable(words(1, 500))), null),
  /** Which id the kiosk's employee ids are: `employee_id` (Feishu's user_id) or `employee_no`. */
  employeeType: or(oneOf(['employee_id', 'employee_no']), 'employee_id'),
  /** Recorded as each punch's creator (same id type); null: the person who punched. */
  creatorId: or(z.nullable(words(1, 200)), null),
})

export type FeishuSettings = z.output<typeof feishuSettings>

/** What `crm.kind` "feishu" needs set (the URL defaults to Feishu's own). */
export function feishuRules(feishu: FeishuSettings, _url: string | null): CrossKeyRule[] {
  return requiredKeys(
    { appId: feishu.appId, appSecret: feishu.appSecret },
    ['feishu'],
    '"crm.kind" "feishu"',
  )
}
