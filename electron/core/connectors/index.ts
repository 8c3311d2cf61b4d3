/** The connector `crm.kind` names, built from its own config keys; none when nothing is set. */
import type { Logger } from '../logger'
import type { Store } from '../store/types'
import { clockfaceConnector } from './clockface'
import { dingtalkFromConfig } from './dingtalk/connector'
import { feishuFromConfig } from './feishu/connector'
import { wecomFromConfig } from './wecom/connector'
import type { Connector } from './connector'
import { frappeFromSettings } from './frappe/frappe'
import { odooConnector } from './odoo/connector'
import { zktecoAdmsFromSettings } from './zkteco-adms/adms'
import type { CrmSettings } from './settings'

/** What every connector is given besides its own keys. */
export interface ConnectorContext {
  siteId: string
  /** The site's IANA zone, for systems that take local wall times. */
  timeZone: string
  deviceId: string
  timeoutMs: number
  /** Every response's Date header, for the kiosk's clock. */
  onServerDate?: (serverDateMs: number, requestSentMs: number, responseReceivedMs: number) => void
  /** Small durable state of the connector's own (a stamp, a cached mapping). */
  state: ConnectorState
  log: Logger
}

export interface ConnectorState {
  get(key: string): string | undefined
  set(key: string, value: string): void
}

/** The connector for the configured system, or undefined for an offline-only kiosk. */
export function createConnector(
  crm: CrmSettings,
  context: ConnectorContext,
): Connector | undefined {
  switch (crm.kind) {
    case 'clockface':
      return crm.url && crm.deviceToken
        ? clockfaceConnector({
            baseUrl: crm.url,
            deviceToken: crm.deviceToken,
            deviceId: context.deviceId,
            timeoutMs: context.timeoutMs,
            ...(context.onServerDate ? { onServerDate: context.onServerDate } : {}),
          })
        : undefined
    case 'odoo':
      return crm.url ? odooConnector(crm.odoo, crm.url, context) : undefined
    case 'frappe':
      return frappeFromSettings(crm.url, crm.frappe, context)
    case 'zkteco-adms':
      return zktecoAdmsFromSettings(crm.url, crm.zktecoAdms, context)
    case 'dingtalk':
      return dingtalkFromConfig(crm, context)
    case 'wecom':
      return wecomFromConfig(crm, context)
    case 'feishu':
      return feishuFromConfig(crm, context)
  }
}

/** Connector state kept in the store's sync_state, each kind under its own prefix. */
export function storedState(store: Store, kind: string): ConnectorState {
  const key = (name: string) => `connector.${kind}.${name}`
  return {
    get: (name) =>
      store.get<{ value: string }>(`SELECT value FROM sync_state WHERE key = ?`, [key(name)])
        ?.value,
    set: (name, value) =>
      store.commit([
        [
          `INSERT INTO sync_state (key, value) VALUES (?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          [key(name), value],
        ],
      ]),
  }
}
