/**
 * PINs are stored only as salted scrypt hashes: `scrypt$N$r$p$salt$hash` (base64). A 4–8 digit
 * PIN cannot resist an offline search whatever the hash; the lockout is what protects it at
 * the kiosk, and the hash keeps PINs out of exports, snapshots and backups.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto'

const N = 4096
const r = 8
const p = 1
const keyLength = 32

/** A PIN as the kiosk accepts it: 4 to 8 digits. */
export function isValidPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin)
}

/** Hashes a PIN with a fresh salt. */
export function hashPin(pin: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(pin, salt, keyLength, { N, r, p })
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** True when the PIN matches the hash; a malformed hash never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [cost, blockSize, parallel] = parts.slice(1, 4).map(Number) as [number, number, number]
  const salt = Buffer.from(parts[4]!, 'base64')
  const expected = Buffer.from(parts[5]!, 'base64')
  if (!cost || !blockSize || !parallel || expected.length === 0) return false
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(pin, salt, expected.length, { N: cost, r: blockSize, p: parallel }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
  return timingSafeEqual(actual, expected)
}
