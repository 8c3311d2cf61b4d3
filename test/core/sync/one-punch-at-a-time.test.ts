/** Order and stopping rules for systems that take one punch per call. */
import { describe, expect, it } from 'vitest'
import {
  onePunchAtATime,
  type OutgoingPunch,
  type UploadOutcome,
} from '../../../electron/core/connectors/connector'
import { CrmError } from '../../../electron/core/connectors/http'
import { punch } from '../../crm/fixtures'

const item = (id: string, employeeId: string): OutgoingPunch => ({
  punch: punch({ id, employeeId }),
})

describe('onePunchAtATime', () => {
  it("holds back a person's later punches after one must wait, and sends everyone else's", async () => {
    const sent: string[] = []
    const busy = new CrmError('unavailable', 'try later')
    const outcomes = await onePunchAtATime(
      [item('a1', 'A'), item('b1', 'B'), item('a2', 'A'), item('b2', 'B')],
      async ({ punch: p }): Promise<UploadOutcome> => {
        sent.push(p.id)
        return p.id === 'a1'
          ? { id: p.id, status: 'retry', error: busy }
          : { id: p.id, status: 'created' }
      },
    )
    expect(sent).toEqual(['a1', 'b1', 'b2'])
    expect(outcomes.map((o) => `${o.id}:${o.status}`)).toEqual([
      'a1:retry',
      'b1:created',
      'a2:retry',
      'b2:created',
    ])
  })

  it('turns a refused request into a dead letter for that punch only', async () => {
    const outcomes = await onePunchAtATime(
      [item('a1', 'A'), item('b1', 'B')],
      async ({ punch: p }): Promise<UploadOutcome> => {
        if (p.id === 'a1') throw new CrmError('rejected-request', 'No Employee found')
        return { id: p.id, status: 'duplicate' }
      },
    )
    expect(outcomes).toEqual([
      { id: 'a1', status: 'rejected', reason: 'No Employee found' },
      { id: 'b1', status: 'duplicate' },
    ])
  })

  it('sends nothing more after a failure of the system itself, and keeps its error', async () => {
    const sent: string[] = []
    const limited = new CrmError('rate-limited', 'slow down', { retryAfterMs: 5000 })
    const outcomes = await onePunchAtATime(
      [item('a1', 'A'), item('b1', 'B'), item('c1', 'C')],
      async ({ punch: p }): Promise<UploadOutcome> => {
        sent.push(p.id)
        if (p.id === 'b1') throw limited
        return { id: p.id, status: 'created' }
      },
    )
    expect(sent).toEqual(['a1', 'b1'])
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'retry', 'retry'])
    expect(outcomes[2]).toMatchObject({ error: limited })
  })

  it('lets an unexpected error through: a bug is not a network failure', async () => {
    await expect(
      onePunchAtATime([item('a1', 'A')], async () => {
        throw new TypeError('bug')
      }),
    ).rejects.toThrow('bug')
  })
})
