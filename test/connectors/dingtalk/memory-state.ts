/** A connector's durable state held in a Map, shared by connectors made "after a restart". */
import type { ConnectorState } from '../../../electron/core/connectors/index'

export function memoryState(): ConnectorState & { values: Map<string, string> } {
  const values = new Map<string, string>()
  return {
    values,
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
  }
}
