/** Every system under the shared checks, for the drain benchmark: one per `crm.kind`. */
import { clockfaceTarget } from './clockface/target'
import type { ConnectorTarget } from './target'

export const connectorTargets: readonly ConnectorTarget[] = [clockfaceTarget]
