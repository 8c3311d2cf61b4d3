/**
 * Face templates are biometric data: each is encrypted at rest with AES-256-GCM under the
 * kiosk's face key, bound to its employee and template id so rows cannot be swapped.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const ivBytes = 12
const tagBytes = 16

/** Encrypts one 128-float descriptor; returns iv | tag | ciphertext. */
export function sealTemplate(
  key: Buffer,
  employeeId: string,
  templateId: string,
  vector: Float32Array,
): Uint8Array {
  const iv = randomBytes(ivBytes)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(`${employeeId}\u0000${templateId}`))
  const body = Buffer.concat([
    cipher.update(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)),
    cipher.final(),
  ])
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]))
}

/** Decrypts a template; throws when the key is wrong or the row was tampered with. */
export function openTemplate(
  key: Buffer,
  employeeId: string,
  templateId: string,
  sealed: Uint8Array,
): Float32Array {
  const data = Buffer.from(sealed)
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes))
  decipher.setAAD(Buffer.from(`${employeeId}\u0000${templateId}`))
  decipher.setAuthTag(data.subarray(ivBytes, ivBytes + tagBytes))
  const plain = Buffer.concat([
    decipher.update(data.subarray(ivBytes + tagBytes)),
    decipher.final(),
  ])
  if (plain.length !== 128 * 4) throw new Error('a face template is not 128 numbers')
  return new Float32Array(plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.length))
}
