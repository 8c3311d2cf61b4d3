/** Punches and a connector context for the Frappe and ZKTeco ADMS connector tests (both use it). */
import { randomUUID } from 'node:crypto'
import type { OutgoingPunch } from '../../../electron/core/connectors/connector'
import type { ConnectorContext } from '../../../electron/core/connectors/index'
import { silentLogger } from '../../../electron/core/logger'
import type { CrmPunch } from '../../../electron/core/sync/crm-types'

/** A punch at `occurredAt` (RFC 3339, any offset), as the outbox sends it. */
export function punchAt(
  employeeId: string,
  occurredAt: string,
  type: 'in' | 'out' = 'in',
  extra: Partial<CrmPunch> = {},
): OutgoingPunch {
  return {
    punch: {
      id: randomUUID(),
      employeeId,
      type,
      occurredAt,
      timeZone: 'Europe/Berlin',
      method: 'face',
      ...extra,
    },
  }
}

/** A context for a kiosk in `timeZone`, with its state kept in a map the test can read. */
export function contextFor(
  timeZone: string,
  extra: Partial<ConnectorContext> = {},
): ConnectorContext & { stored: Map<string, string> } {
  const stored = new Map<string, string>()
  return {
    siteId: 'hq',
    timeZone,
    deviceId: 'lobby-1',
    timeoutMs: 5000,
    state: { get: (key) => stored.get(key), set: (key, value) => void stored.set(key, value) },
    log: silentLogger,
    stored,
    ...extra,
  }
}
