/**
 * What an attacker with a copy of the data folder could decrypt: every file is read byte by
 * byte (and every base64 run inside it, as the journal and JSON files carry blobs), every
 * 32-byte value found is tried as a key, every 60-byte value is tried as a key wrapped by one of
 * those, and every offset is tried as the IV of an AES-GCM blob, in both usual layouts
 * (iv | tag | ciphertext and iv | ciphertext | tag). The GCM tag is never checked: counter mode
 * decrypts without it, so this finds a template even where the AAD is unknown.
 */
import { createCipheriv } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ivBytes = 12
const tagBytes = 16

/** Every file under the folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

/** Each file's bytes, and the decoded bytes of each base64 run in it. */
function byteViews(dir: string): Buffer[] {
  const views: Buffer[] = []
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file)
    views.push(bytes)
    for (const run of bytes.toString('latin1').match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []) {
      views.push(Buffer.from(run, 'base64'))
    }
  }
  return views
}

/** The first GCM counter block (IV | 2) for each offset of the view taken as a 12-byte IV. */
function counterBlocks(view: Buffer): Buffer {
  const offsets = Math.max(0, view.length - ivBytes + 1)
  const counters = Buffer.alloc(offsets * 16)
  for (let o = 0; o < offsets; o++) {
    for (let i = 0; i < ivBytes; i++) counters[o * 16 + i] = view[o + i]!
    counters[o * 16 + 15] = 2
  }
  return counters
}

function xor16(a: Buffer, aAt: number, b: Buffer, bAt: number): string {
  const out = Buffer.alloc(16)
  for (let i = 0; i < 16; i++) out[i] = a[aAt + i]! ^ b[bAt + i]!
  return out.toString('hex')
}

/** Keys found in the folder: plain 32-byte values, then 32-byte values wrapped by those. */
function recoverableKeys(views: Buffer[]): Buffer[] {
  const keys = new Map<string, Buffer>()
  for (const view of views) if (view.length === 32) keys.set(view.toString('hex'), view)
  const wrapped = views.filter((v) => v.length === ivBytes + tagBytes + 32)
  {
    for (const kek of [...keys.values()]) {
      for (const blob of wrapped) {
        for (const at of [ivBytes, ivBytes + tagBytes]) {
          const iv = Buffer.concat([blob.subarray(0, ivBytes), Buffer.from([0, 0, 0, 2])])
          const ecb = createCipheriv('aes-256-ecb', kek, null).setAutoPadding(false)
          const stream = ecb.update(Buffer.concat([iv, nextCounter(iv)]))
          const key = Buffer.alloc(32)
          for (let i = 0; i < 32; i++) key[i] = blob[at + i]! ^ stream[i]!
          keys.set(key.toString('hex'), key)
        }
      }
    }
  }
  return [...keys.values()]
}

function nextCounter(block: Buffer): Buffer {
  const next = Buffer.from(block)
  next.writeUInt32BE(block.readUInt32BE(ivBytes) + 1, ivBytes)
  return next
}

/**
 * For each person, how many places in the folder decrypt (with some key the folder yields) to
 * the start of one of their templates.
 */
export function recoverableTemplates(
  dataDir: string,
  templates: Record<string, Float32Array[]>,
): Record<string, number> {
  const wanted = new Map<string, string>()
  const prefixes = new Set<number>()
  const found: Record<string, number> = {}
  for (const [person, vectors] of Object.entries(templates)) {
    found[person] = 0
    for (const v of vectors) {
      const start = Buffer.from(v.buffer, v.byteOffset, 16)
      wanted.set(start.toString('hex'), person)
      prefixes.add(start.readUInt32BE(0))
    }
  }
  const views = byteViews(dataDir).map((view) => ({ view, counters: counterBlocks(view) }))
  for (const key of recoverableKeys(views.map((v) => v.view))) {
    for (const { view, counters } of views) {
      const stream = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false).update(counters)
      for (let o = 0; o * 16 < stream.length; o++) {
        for (const at of [o + ivBytes, o + ivBytes + tagBytes]) {
          if (at + 16 > view.length) continue
          // A cheap four-byte test first; the full block only for the rare candidate.
          const s = o * 16
          const head =
            (((view[at]! ^ stream[s]!) << 24) |
              ((view[at + 1]! ^ stream[s + 1]!) << 16) |
              ((view[at + 2]! ^ stream[s + 2]!) << 8) |
              (view[at + 3]! ^ stream[s + 3]!)) >>>
            0
          if (!prefixes.has(head)) continue
          const person = wanted.get(xor16(view, at, stream, o * 16))
          if (person) found[person]!++
        }
      }
    }
  }
  return found
}
