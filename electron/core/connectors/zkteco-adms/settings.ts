/** The `crm.zktecoAdms` keys: the terminal this kiosk appears as to an ADMS server. */
import { z } from '../../../shared/schema'
import { or, requiredKeys, section, words, type CrossKeyRule } from '../../config/schema-kit'
import { CRM_URL_RULE, safeCrmUrl } from '../../sync/crm-url'

const SERIAL = 'a serial number of letters, digits, ".", "_" or "-"'

export const zktecoAdmsSettings = section({
  /** The terminal serial number (SN) the server knows this kiosk by; default: crm.deviceId. */
  serialNumber: or(
    z.nullable(words(1, 64).check(z.regex(/^[A-Za-z0-9._-]+$/, { error: SERIAL }))),
    null,
  ),
  /**
   * ADMS servers on a LAN usually speak plain http, and terminals carry no credentials. True
   * lets punches (names' ids and times) travel unencrypted to such a server: a risk IT takes.
   */
  allowPlainHttp: or(z.boolean({ error: 'true or false' }), false),
})

export type ZktecoAdmsSettings = z.output<typeof zktecoAdmsSettings>

/** What `crm.kind` "zkteco-adms" needs set; plain http off this machine only when opted in. */
export function zktecoAdmsRules(adms: ZktecoAdmsSettings, url: string | null): CrossKeyRule[] {
  if (url !== null && !safeCrmUrl(url) && !adms.allowPlainHttp) {
    return [
      {
        path: ['url'],
        sentence:
          `"crm.url" must be ${CRM_URL_RULE}; for a ZKTeco ADMS server that only speaks ` +
          'plain http on the LAN, set "crm.zktecoAdms.allowPlainHttp" to true',
      },
    ]
  }
  return requiredKeys({ url }, [], '"crm.kind" "zkteco-adms"')
}
