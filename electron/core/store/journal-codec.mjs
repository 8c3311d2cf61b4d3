// @ts-check
/**
 * Journal record framing, shared by the store (TypeScript) and the snapshot worker (plain JS).
 * A record is: magic (4 bytes) + payload length (u32 LE) + CRC32 of payload (u32 LE) + payload,
 * the payload being UTF-8 JSON `{seq, statements}` with blobs written as `{"$b64": "..."}`.
 */
import zlib from 'node:zlib'

/** @typedef {import('./types').Statement} Statement */
/** @typedef {{ seq: number, statements: readonly Statement[] }} JournalRecord */
/**
 * @typedef {object} DecodedSegment
 * @property {JournalRecord[]} records intact records, in file order
 * @property {number} skippedRecords damaged stretches skipped
 * @property {number} skippedBytes bytes in those stretches
 */

// 0xFF never occurs in UTF-8, so the magic cannot appear inside a payload.
export const RECORD_MAGIC = Uint8Array.of(0xff, 0x43, 0x46, 0x4a)
export const RECORD_HEADER_BYTES = 12
// A length beyond this is damage, not data: no single change is anywhere near it.
const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 (IEEE) of the bytes, as an unsigned 32-bit number. */
export function crc32(/** @type {Uint8Array} */ bytes) {
  // zlib.crc32 exists from Node 20.15 / 22.2; the table is the fallback for older runtimes.
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes) >>> 0
  let c = 0xffffffff
  for (const byte of bytes) c = /** @type {number} */ (CRC_TABLE[(c ^ byte) & 0xff]) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** JSON text of a record, blobs as `{"$b64": "..."}`. */
export function recordToJson(/** @type {JournalRecord} */ record) {
  // A Node Buffer has toJSON, which runs before a replacer sees the value: read the holder's
  // own property instead, so Buffers and plain Uint8Arrays are kept alike.
  return JSON.stringify(record, function (key, value) {
    const raw = /** @type {Record<string, unknown>} */ (this)[key]
    return raw instanceof Uint8Array ? { $b64: Buffer.from(raw).toString('base64') } : value
  })
}

/** Parses a record's JSON text, turning `{"$b64": "..."}` back into Uint8Array. */
export function recordFromJson(/** @type {string} */ text) {
  /** @type {unknown} */
  const parsed = JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && typeof value.$b64 === 'string'
      ? new Uint8Array(Buffer.from(value.$b64, 'base64'))
      : value,
  )
  if (!isRecord(parsed)) throw new Error('journal record has the wrong shape')
  return parsed
}

/** @returns {value is JournalRecord} */
function isRecord(/** @type {any} */ value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    Number.isSafeInteger(value.seq) &&
    value.seq > 0 &&
    Array.isArray(value.statements) &&
    value.statements.every(
      (/** @type {any} */ s) =>
        Array.isArray(s) && typeof s[0] === 'string' && (s[1] === undefined || Array.isArray(s[1])),
    )
  )
}

/** The framed bytes of one record, ready to append to a segment. */
export function encodeRecord(/** @type {JournalRecord} */ record) {
  const payload = Buffer.from(recordToJson(record), 'utf8')
  if (payload.length > MAX_PAYLOAD_BYTES)
    throw new Error('change is too large for one journal record')
  const frame = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length)
  frame.set(RECORD_MAGIC, 0)
  frame.writeUInt32LE(payload.length, 4)
  frame.writeUInt32LE(crc32(payload), 8)
  payload.copy(frame, RECORD_HEADER_BYTES)
  return frame
}

/**
 * Every intact record of a segment, in file order. A torn or corrupt record is skipped by
 * scanning forward for the next magic whose record checks out; never throws on damage.
 * @param {Uint8Array} bytes
 * @returns {DecodedSegment}
 */
export function decodeSegment(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  /** @type {JournalRecord[]} */
  const records = []
  let skippedRecords = 0
  let skippedBytes = 0
  let offset = 0
  while (offset < buf.length) {
    const record = readRecordAt(buf, offset)
    if (record) {
      records.push(record.value)
      offset = record.end
      continue
    }
    const next = findNextRecord(buf, offset + 1)
    skippedRecords++
    skippedBytes += next - offset
    offset = next
  }
  return { records, skippedRecords, skippedBytes }
}

/** @returns {{ value: JournalRecord, end: number } | null} */
function readRecordAt(/** @type {Buffer} */ buf, /** @type {number} */ offset) {
  if (offset + RECORD_HEADER_BYTES > buf.length) return null
  for (let i = 0; i < RECORD_MAGIC.length; i++) if (buf[offset + i] !== RECORD_MAGIC[i]) return null
  const length = buf.readUInt32LE(offset + 4)
  const end = offset + RECORD_HEADER_BYTES + length
  if (length > MAX_PAYLOAD_BYTES || end > buf.length) return null
  const payload = buf.subarray(offset + RECORD_HEADER_BYTES, end)
  if (crc32(payload) !== buf.readUInt32LE(offset + 8)) return null
  try {
    return { value: recordFromJson(payload.toString('utf8')), end }
  } catch {
    return null
  }
}

/** Offset of the next position holding an intact record, or the end of the buffer. */
function findNextRecord(/** @type {Buffer} */ buf, /** @type {number} */ from) {
  let at = buf.indexOf(RECORD_MAGIC, from)
  while (at !== -1) {
    if (readRecordAt(buf, at)) return at
    at = buf.indexOf(RECORD_MAGIC, at + 1)
  }
  return buf.length
}
