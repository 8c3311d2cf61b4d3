/** The `crm.dingtalk` keys: the internal app whose key and secret give the access token. */
import { z } from '../../../shared/schema'
import {
  or,
  requiredKeys,
  secret,
  section,
  words,
  type CrossKeyRule,
} from '../../config/schema-kit'

export const dingtalkSettings = section({
  appKey: or(z.nullable(words(1, 200)), null),
  appSecret: or(secret(z.nullable(words(1, 500))), null),
})

export type DingtalkSettings = z.output<typeof dingtalkSettings>

/** What `crm.kind` "dingtalk" needs set (the URL defaults to DingTalk's own). */
export function dingtalkRules(dingtalk: DingtalkSettings, _url: string | null): CrossKeyRule[] {
  return requiredKeys(
    { appKey: dingtalk.appKey, appSecret: dingtalk.appSecret },
    ['dingtalk'],
    '"crm.kind" "dingtalk"',
  )
}
