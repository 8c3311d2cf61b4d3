/**
 * The `crm` section of the config file: which system the kiosk uploads to (`kind`), what every
 * kind shares (queue, retry, timeouts), and each kind's own keys in its own sub-section.
 */
import { hostname } from 'node:os'
import { oneOf, whole, z } from '../../shared/schema'
import { or, secret, section, words, type CrossKeyRule } from '../config/schema-kit'
import { CRM_URL_RULE, safeCrmUrl, withoutCredentials } from '../sync/crm-url'
import { CRM_KINDS } from './connector'
import { dingtalkSettings, dingtalkRules } from './dingtalk/settings'
import { feishuSettings, feishuRules } from './feishu/settings'
import { frappeSettings, frappeRules } from './frappe/settings'
import { odooSettings, odooRules } from './odoo/settings'
import { wecomSettings, wecomRules } from './wecom/settings'
import { zktecoAdmsSettings, zktecoAdmsRules } from './zkteco-adms/settings'

/** A URL a connector may send credentials and punches to (see crm-url.ts). */
export const crmUrl = z.pipe(
  z.string({ error: CRM_URL_RULE }),
  z.transform((value: string, ctx) => {
    const url = safeCrmUrl(value) ?? plainHttpUrl(value)
    if (url) return url.href.replace(/\/$/, '')
    // The URL is shown back to help, but credentials someone put in it are not.
    ctx.issues.push({ code: 'custom', message: CRM_URL_RULE, input: withoutCredentials(value) })
    return z.NEVER
  }),
)

export const crmSettings = section({
  /** The system punches go to: Clockface's own contract, or one of the HR systems. */
  kind: or(oneOf(CRM_KINDS), 'clockface'),
  /** The system's base URL (the cloud platforms have a default). */
  url: or(z.nullable(crmUrl), null),
  /** Clockface contract only: this kiosk's bearer token. */
  deviceToken: or(secret(z.nullable(words(8, 4096))), null),
  deviceId: or(words(1, 128), () => hostname() || 'kiosk'),
  /** Punches per upload request (1–500; a system's own limit may be lower). */
  batchSize: or(whole(1, 500), 100),
  /** Request timeout, seconds. */
  timeoutSeconds: or(whole(1, 120), 15),
  /** First retry ceiling (ms) and largest one (s): capped exponential backoff, full jitter. */
  retryBaseMs: or(whole(10, 60_000), 1000),
  retryCapSeconds: or(whole(1, 3600), 300),
  rosterSyncMinutes: or(whole(1, 1440), 5),
  heartbeatMinutes: or(whole(1, 1440), 5),
  odoo: odooSettings,
  frappe: frappeSettings,
  zktecoAdms: zktecoAdmsSettings,
  dingtalk: dingtalkSettings,
  wecom: wecomSettings,
  feishu: feishuSettings,
})

export type CrmSettings = z.output<typeof crmSettings>

// Plain http off this machine passes the parse only to be refused by crmRules, unless the kind
// opts in (zkteco-adms with allowPlainHttp): the rule needs the kind, which the parse cannot see.
function plainHttpUrl(value: string): URL | undefined {
  const url = URL.parse(value)
  return url?.protocol === 'http:' && url.username === '' && url.password === '' ? url : undefined
}

/** Rules across the section's keys, for the kind chosen (paths are relative to `crm`). */
export function crmRules(crm: CrmSettings): CrossKeyRule[] {
  if (crm.kind !== 'zkteco-adms' && crm.url !== null && !safeCrmUrl(crm.url)) {
    return [{ path: ['url'], sentence: `"crm.url" must be ${CRM_URL_RULE}` }]
  }
  switch (crm.kind) {
    case 'clockface':
      return (crm.url === null) !== (crm.deviceToken === null)
        ? [
            {
              path: ['url'],
              sentence: '"crm.url" and "crm.deviceToken" must be set together (or neither)',
            },
          ]
        : []
    case 'odoo':
      return odooRules(crm.odoo, crm.url)
    case 'frappe':
      return frappeRules(crm.frappe, crm.url)
    case 'zkteco-adms':
      return zktecoAdmsRules(crm.zktecoAdms, crm.url)
    case 'dingtalk':
      return dingtalkRules(crm.dingtalk, crm.url)
    case 'wecom':
      return wecomRules(crm.wecom, crm.url)
    case 'feishu':
      return feishuRules(crm.feishu, crm.url)
  }
}
