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
 * @typedef {object} DecodedRecord a record as found in a segment
 * @property {number} seq
 * @property {readonly Statement[]} statements
 * @property {number} offset byte offset of its frame in the segment
 * @property {boolean} [salvaged] its magic or length was damaged but its payload checks out
 */
/**
 * @typedef {object} DamagedStretch bytes between intact records that hold no readable record
 * @property {number} offset
 * @property {number} bytes
 * @property {boolean} torn the file's last bytes, a record too short for its own header: a write
 *   cut short by a crash, never acknowledged
 * @property {DamageSeen} seen what can still be read in it
 */
/**
 * @typedef {object} DamageSeen what a damaged stretch still shows of the changes it held
 * @property {number | null} seq the first `"seq":N` still legible
 * @property {string[]} tables tables its statements wrote
 * @property {string[]} ids UUIDs it names (punch ids among them)
 */
/**
 * @typedef {object} DecodedSegment
 * @property {DecodedRecord[]} records intact records, in file order
 * @property {DamagedStretch[]} damaged unreadable stretches, in file order
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
 * scanning forward for the next magic whose record checks out; never throws on damage. A record
 * whose payload still matches its checksum but whose magic or length was hit is read back whole.
 * @param {Uint8Array} bytes
 * @returns {DecodedSegment}
 */
export function decodeSegment(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  /** @type {DecodedSegment} */
  const decoded = { records: [], damaged: [], skippedRecords: 0, skippedBytes: 0 }
  let offset = 0
  while (offset < buf.length) {
    const record = readRecordAt(buf, offset)
    if (record) {
      decoded.records.push({ ...record.value, offset })
      offset = record.end
      continue
    }
    const next = findNextRecord(buf, offset + 1)
    const salvaged = salvageRecordAt(buf, offset, next)
    if (salvaged) {
      decoded.records.push({ ...salvaged.value, offset, salvaged: true })
      offset = salvaged.end
      continue
    }
    const stretch = buf.subarray(offset, next)
    const torn = isTornTail(buf, offset, next)
    decoded.damaged.push({ offset, bytes: next - offset, torn, seen: describeDamage(stretch) })
    decoded.skippedRecords++
    decoded.skippedBytes += next - offset
    offset = next
  }
  return decoded
}

/** @returns {{ value: JournalRecord, end: number } | null} */
function readRecordAt(/** @type {Buffer} */ buf, /** @type {number} */ offset) {
  if (offset + RECORD_HEADER_BYTES > buf.length) return null
  for (let i = 0; i < RECORD_MAGIC.length; i++) if (buf[offset + i] !== RECORD_MAGIC[i]) return null
  const length = buf.readUInt32LE(offset + 4)
  const end = offset + RECORD_HEADER_BYTES + length
  if (length > MAX_PAYLOAD_BYTES || end > buf.length) return null
  const value = checkedPayload(buf, offset, end)
  return value ? { value, end } : null
}

/**
 * The record in the damaged stretch `offset..next` when only its magic or length was hit: the
 * payload up to the next intact record (or its stated length) still matches the checksum.
 * @returns {{ value: JournalRecord, end: number } | null}
 */
function salvageRecordAt(
  /** @type {Buffer} */ buf,
  /** @type {number} */ offset,
  /** @type {number} */ next,
) {
  if (next - offset <= RECORD_HEADER_BYTES) return null
  const stated = offset + RECORD_HEADER_BYTES + buf.readUInt32LE(offset + 4)
  for (const end of new Set([next, stated])) {
    if (end > next) continue
    const value = checkedPayload(buf, offset, end)
    if (value) return { value, end }
  }
  return null
}

/** The record whose payload is `offset + 12..end`, if it matches the checksum at `offset + 8`. */
function checkedPayload(
  /** @type {Buffer} */ buf,
  /** @type {number} */ offset,
  /** @type {number} */ end,
) {
  const payload = buf.subarray(offset + RECORD_HEADER_BYTES, end)
  if (crc32(payload) !== buf.readUInt32LE(offset + 8)) return null
  try {
    return recordFromJson(payload.toString('utf8'))
  } catch {
    return null
  }
}

/** A write cut short: the last stretch of the file, too short for the length its header states. */
function isTornTail(
  /** @type {Buffer} */ buf,
  /** @type {number} */ offset,
  /** @type {number} */ next,
) {
  if (next !== buf.length) return false
  if (buf.length - offset < RECORD_HEADER_BYTES) return true
  for (let i = 0; i < RECORD_MAGIC.length; i++)
    if (buf[offset + i] !== RECORD_MAGIC[i]) return false
  return offset + RECORD_HEADER_BYTES + buf.readUInt32LE(offset + 4) > buf.length
}

const WRITE_PATTERN = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(\w+)/gi
const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const MAX_IDS_SEEN = 50

/**
 * What can still be read of damaged record bytes: the change's seq, the tables it wrote and the
 * ids it names, so a lost change can be named to whoever must re-enter it.
 * @param {Uint8Array} bytes
 * @returns {DamageSeen}
 */
export function describeDamage(bytes) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const seq = /"seq":(\d+)/.exec(text)
  const tables = new Set([...text.matchAll(WRITE_PATTERN)].map((m) => String(m[1])))
  const ids = new Set([...text.matchAll(UUID_PATTERN)].map((m) => m[0].toLowerCase()))
  return {
    seq: seq ? Number(seq[1]) : null,
    tables: [...tables],
    ids: [...ids].slice(0, MAX_IDS_SEEN),
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
