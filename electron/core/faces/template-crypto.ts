/**
 * Face templates are biometric data: each is encrypted at rest with AES-256-GCM under its
 * person's own data key (see face-keyring.ts), bound to the person, the template id and the key
 * id so rows cannot be swapped. A sealed template is: version 2 (1 byte) | key id (16 bytes) |
 * iv | tag | ciphertext. The previous version's templates (iv | tag | ciphertext under the one
 * face key) are read only to move them to per-person keys.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const ivBytes = 12
const tagBytes = 16
const vectorBytes = 128 * 4
const version = 2
const keyIdBytes = 16
const legacyLength = ivBytes + tagBytes + vectorBytes
const sealedLength = 1 + keyIdBytes + legacyLength

/** A person's data key, as the keyring hands it out. */
export interface DataKey {
  /** 32 hex digits. */
  id: string
  employeeId: string
  key: Buffer
}

/** AES-256-GCM of `plain` bound to `aad`; returns iv | tag | ciphertext. */
export function encryptBound(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(ivBytes)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad))
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

/** Opens what `encryptBound` made; throws when the key or the binding is wrong or it was altered. */
export function decryptBound(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes))
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(data.subarray(ivBytes, ivBytes + tagBytes))
  return Buffer.concat([decipher.update(data.subarray(ivBytes + tagBytes)), decipher.final()])
}

function templateAad(employeeId: string, templateId: string, keyId: string): string {
  return `clockface template 2\u0000${employeeId}\u0000${templateId}\u0000${keyId}`
}

/** Encrypts one 128-float descriptor under the person's data key. */
export function sealTemplate(
  dataKey: DataKey,
  templateId: string,
  vector: Float32Array,
): Uint8Array {
  const plain = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength)
  const body = encryptBound(
    dataKey.key,
    plain,
    templateAad(dataKey.employeeId, templateId, dataKey.id),
  )
  return new Uint8Array(Buffer.concat([Buffer.of(version), Buffer.from(dataKey.id, 'hex'), body]))
}

/** How many leading bytes of a sealed template name its key (SQL can read just those). */
export const templateHeadBytes = 1 + keyIdBytes

/**
 * The id of the data key a template is sealed under, from the template or its first
 * `templateHeadBytes` bytes and its full length; null for the previous version's format.
 */
export function templateKeyId(head: Uint8Array, length = head.length): string | null {
  if (length !== sealedLength || head.length < templateHeadBytes || head[0] !== version) return null
  return Buffer.from(head.subarray(1, templateHeadBytes)).toString('hex')
}

/** True when the template is in the previous version's format (under the one face key). */
export function isLegacyTemplate(sealed: Uint8Array): boolean {
  return sealed.length === legacyLength
}

/** Decrypts a template; throws when the key is wrong or the row was tampered with. */
export function openTemplate(
  dataKey: DataKey,
  templateId: string,
  sealed: Uint8Array,
): Float32Array {
  if (templateKeyId(sealed) !== dataKey.id) throw new Error('a face template is under another key')
  const aad = templateAad(dataKey.employeeId, templateId, dataKey.id)
  return toVector(decryptBound(dataKey.key, sealed.subarray(1 + keyIdBytes), aad))
}

/** Decrypts a template of the previous version, sealed under the one face key. */
export function openLegacyTemplate(
  faceKey: Buffer,
  employeeId: string,
  templateId: string,
  sealed: Uint8Array,
): Float32Array {
  return toVector(decryptBound(faceKey, sealed, `${employeeId}\u0000${templateId}`))
}

function toVector(plain: Buffer): Float32Array {
  if (plain.length !== vectorBytes) throw new Error('a face template is not 128 numbers')
  return new Float32Array(plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.length))
}
