/** The `crm.wecom` keys: the corp and the check-in app secret that give the access token. */
import { z } from '../../../shared/schema'
import {
  or,
  requiredKeys,
  secret,
  section,
  words,
  type CrossKeyRule,
} from '../../config/schema-kit'

export const wecomSettings = section({
  corpId: or(z.nullable(words(1, 200)), null),
  corpSecret: or(secret(z.nullable(words(1, 500))), null),
})

export type WecomSettings = z.output<typeof wecomSettings>

/** What `crm.kind` "wecom" needs set (the URL defaults to WeCom's own). */
export function wecomRules(wecom: WecomSettings, _url: string | null): CrossKeyRule[] {
  return requiredKeys(
    { corpId: wecom.corpId, corpSecret: wecom.corpSecret },
    ['wecom'],
    '"crm.kind" "wecom"',
  )
}
