/** Punches and connectors for the Odoo tests. */
import { randomUUID } from 'node:crypto'
import type { OutgoingPunch } from '../../../electron/core/connectors/connector'
import { odooConnector } from '../../../electron/core/connectors/odoo/connector'
import type { OdooSettings } from '../../../electron/core/connectors/odoo/settings'
import type { CrmPunch } from '../../../electron/core/sync/crm-types'
import type { FakeOdoo } from './fake-odoo'

export type Protocol = OdooSettings['protocol']

/** A punch by `employeeId` at `occurredAt` (RFC 3339 with offset). */
export function punch(
  employeeId: string,
  type: 'in' | 'out',
  occurredAt: string,
  extra: Partial<CrmPunch> = {},
): CrmPunch {
  return {
    id: randomUUID(),
    employeeId,
    type,
    occurredAt,
    timeZone: 'Europe/Berlin',
    method: 'badge',
    ...extra,
  }
}

/** A correction of `old` by an admin. */
export function correction(
  old: CrmPunch,
  kind: 'amended' | 'voided',
  occurredAt = old.occurredAt,
  type = old.type,
): OutgoingPunch {
  return {
    punch: punch(old.employeeId, type, occurredAt, {
      method: 'manual',
      correction: {
        kind,
        supersedes: old.id,
        reason: 'forgot',
        enteredBy: 'admin',
        enteredAt: '2026-03-30T12:00:00Z',
      },
    }),
    supersedes: old,
  }
}

export const out = (...punches: CrmPunch[]): OutgoingPunch[] => punches.map((p) => ({ punch: p }))

/** The connector for `url` (the fake's, or a proxy's) with the fake's credentials. */
export function connectorFor(
  fake: Pick<FakeOdoo, 'url' | 'db' | 'login' | 'apiKey'>,
  protocol: Protocol = 'json2',
  settings: Partial<OdooSettings> = {},
  url = fake.url,
) {
  return odooConnector(
    {
      protocol,
      database: fake.db,
      login: fake.login,
      apiKey: fake.apiKey,
      employeeField: 'barcode',
      ...settings,
    },
    url,
    { timeoutMs: 5000 },
  )
}
