/**
 * Where the kiosk may send its bearer token and punches: over https, or over plain http only to
 * this machine (the reference CRM in development), and never with credentials inside the URL.
 */

/** What a CRM URL must be, for messages. */
export const CRM_URL_RULE =
  'an https URL such as "https://crm.example.com" (plain http only to this machine: ' +
  '127.0.0.1, ::1 or localhost), without a user name or password'

// Hosts as the WHATWG URL parser writes them: every spelling of 127.x.y.z comes out dotted.
const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/

/** The URL, or undefined when it would let the token or punches travel in clear or elsewhere. */
export function safeCrmUrl(text: string): URL | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  if (url.username !== '' || url.password !== '') return undefined
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname)) return url
  return undefined
}

/** The text with anything before an `@` in its authority blanked, fit to appear in a message. */
export function withoutCredentials(text: string): string {
  return text.replace(/^([^:/?#]*:\/\/)?[^/?#]*@/, '$1…@')
}
