/** The `roster:` operations: finding people at the kiosk. */
import type { DomainHandlers } from '../gate'
import type { Roster } from './roster'

export const rosterOperations = ['findEmployees'] as const

export function createRosterHandlers(deps: {
  roster: Roster
}): DomainHandlers<typeof rosterOperations> {
  const { roster } = deps
  return {
    findEmployees: ({ query }) => roster.search(query),
  }
}
