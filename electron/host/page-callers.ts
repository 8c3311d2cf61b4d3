/**
 * Who a browser-host call comes from. Each page the host serves gets a fresh caller in an
 * HttpOnly, SameSite=Strict cookie that the page's own requests carry back; a request without
 * a valid one (curl from another local process, say) is a caller with no admin rights. The
 * cookie is signed with a key that lives only in this process, so the host keeps no table of
 * them and none survives a restart.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { anonymousCaller, type Caller } from '../core/gate'

const cookieName = 'clockface-caller'

export interface PageCallers {
  /** Gives the page being served its own caller (sets the cookie on `res`). */
  issue(res: ServerResponse): void
  /** The caller a request comes from: its cookie's, or the anonymous caller. */
  callerOf(req: IncomingMessage): Caller
}

/** Callers for the pages one host process serves. */
export function createPageCallers(key: Buffer = randomBytes(32)): PageCallers {
  const sign = (id: string) => createHmac('sha256', key).update(id).digest('base64url')
  return {
    issue(res) {
      const id = randomBytes(18).toString('base64url')
      res.setHeader(
        'set-cookie',
        `${cookieName}=${id}.${sign(id)}; Path=/; HttpOnly; SameSite=Strict`,
      )
    },
    callerOf(req) {
      const value = cookieValue(req.headers.cookie ?? '')
      const [id, mac, extra] = (value ?? '').split('.')
      if (!id || !mac || extra !== undefined) return anonymousCaller
      const expected = Buffer.from(sign(id))
      const given = Buffer.from(mac)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return anonymousCaller
      }
      return { id: `page:${id}` }
    },
  }
}

function cookieValue(header: string): string | undefined {
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === cookieName) return rest.join('=')
  }
  return undefined
}
