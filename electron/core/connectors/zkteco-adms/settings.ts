/** The `crm.zktecoAdms` keys: the terminal this kiosk appears as to an ADMS server. */
import { z } from '../../../shared/schema'
import { or, requiredKeys, section, words, type CrossKeyRule } from '../../config/schema-kit'

export const zktecoAdmsSettings = section({
  /** The terminal serial number (SN) the server knows this kiosk by; default: crm.deviceId. */
  serialNumber: or(z.nullable(words(1, 64)), null),
})

export type ZktecoAdmsSettings = z.output<typeof zktecoAdmsSettings>

/** What `crm.kind` "zkteco-adms" needs set. */
export function zktecoAdmsRules(_adms: ZktecoAdmsSettings, url: string | null): CrossKeyRule[] {
  return requiredKeys({ url }, [], '"crm.kind" "zkteco-adms"')
}
