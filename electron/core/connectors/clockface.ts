/** Clockface's own contract (crm-api.yaml) as a connector: batches, receipts, heartbeat. */
import { createCrmClient, MAX_PUNCHES_PER_BATCH, type CrmClientOptions } from '../sync/crm-client'
import type { Connector } from './connector'

/** A connector speaking crm-api.yaml to one CRM as one device. */
export function clockfaceConnector(opts: CrmClientOptions): Connector {
  const client = createCrmClient(opts)
  return {
    kind: 'clockface',
    name: 'the CRM',
    maxBatch: MAX_PUNCHES_PER_BATCH,
    health: () => client.health(),
    async upload(batch) {
      const results = await client.uploadPunches(batch.map((item) => item.punch))
      return results.map((result) =>
        result.status === 'rejected'
          ? { id: result.id, status: 'rejected', reason: result.reason ?? 'rejected' }
          : { id: result.id, status: result.status },
      )
    },
    roster: (query) => client.roster(query),
    heartbeat: (body) => client.heartbeat(body),
    receipts: (from, to, cursor) => client.receipts(from, to, cursor),
  }
}
