/** The shared access token: kept while fresh, renewed before expiry, once more when refused. */
import { describe, expect, it } from 'vitest'
import { AccessToken, TokenRefused } from '../../../electron/core/connectors/access-token'

function issuer() {
  let n = 0
  let clock = 0
  const tokens = new AccessToken(
    async () => ({ token: `t${++n}`, expiresInSeconds: 7200 }),
    () => clock,
  )
  return { tokens, issued: () => n, at: (ms: number) => (clock = ms) }
}

describe('AccessToken', () => {
  it('keeps a token while fresh, renews it five minutes before expiry, one fetch at a time', async () => {
    const { tokens, issued, at } = issuer()
    expect(await Promise.all([tokens.get(), tokens.get()])).toEqual(['t1', 't1'])
    expect(issued()).toBe(1)
    at(7200_000 - 300_001)
    expect(await tokens.get()).toBe('t1')
    at(7200_000 - 300_000)
    expect(await tokens.get()).toBe('t2')
  })

  it('renews once on a refused token and calls again; a second refusal is unauthorised', async () => {
    const { tokens, issued } = issuer()
    const seen: string[] = []
    const result = await tokens.use(async (token) => {
      seen.push(token)
      if (seen.length === 1) throw new TokenRefused('expired')
      return 'sent'
    })
    expect(result).toBe('sent')
    expect(seen).toEqual(['t1', 't2'])
    await expect(
      tokens.use(async () => {
        throw new TokenRefused('WeCom errcode 40014: invalid access_token')
      }),
    ).rejects.toMatchObject({ kind: 'unauthorised', message: /40014/ })
    expect(issued()).toBe(3)
  })
})
