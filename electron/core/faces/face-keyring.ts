/**
 * Every person's data key, wrapped by the face key and bound to the person, in one small file
 * beside the store (never in the store, whose journal and snapshots keep old pages). Each change
 * is written durably before it returns (temp file, fsync, rename, fsync the folder), so a key is
 * on disk before any template sealed under it commits, and a destroyed key is gone from the
 * folder at once: every copy of that person's templates, in any journal segment, snapshot or
 * free page, is unreadable from then on.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync } from 'node:fs'
import { unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { parseOrThrow, record, text, z } from '../../shared/schema'
import type { Logger } from '../logger'
import { fsyncDirectory } from '../store/store-files.mjs'
import {
  FaceKeyError,
  readLegacyFaceKey,
  storeFaceKey,
  unstoreFaceKey,
  warnPlainFaceKey,
  type KeySealer,
} from './face-key'
import { decryptBound, encryptBound, type DataKey } from './template-crypto'

const fileName = 'face-keys.json'
const format = 'clockface-face-keys/1'

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/))
const keyringSchema = record({
  format: z.literal(format),
  faceKey: z.union([record({ sealed: base64 }), record({ plain: base64 })]),
  dataKeys: z.array(
    record({ id: text(32, 32, /^[0-9a-f]{32}$/), employeeId: text(1, 128), wrapped: base64 }),
  ),
})
type KeyringFile = z.output<typeof keyringSchema>

/** The keys a data folder holds: the keyring, and the previous version's face key if any. */
export interface FaceKeys {
  keyring: FaceKeyring
  /** The previous version's single face key, until its templates have moved. */
  legacyKey: Buffer | null
}

/** Opens (or creates) the data folder's keyring and finds any key of the previous version. */
export function openFaceKeys(
  dataDir: string,
  sealer: KeySealer | undefined,
  log: Logger,
): FaceKeys {
  const legacyKey = readLegacyFaceKey(dataDir, sealer)
  return { keyring: FaceKeyring.open(dataDir, sealer, log), legacyKey }
}

function wrapAad(employeeId: string, id: string): string {
  return `clockface data key 1\u0000${employeeId}\u0000${id}`
}

export class FaceKeyring {
  private constructor(
    private readonly dir: string,
    private readonly faceKey: Buffer,
    private file: KeyringFile,
  ) {}

  /** The folder's keyring; a new face key and no data keys the first time. */
  static open(dir: string, sealer: KeySealer | undefined, log: Logger): FaceKeyring {
    const path = join(dir, fileName)
    // A temp file is a write that never finished; what it held was never relied on.
    if (existsSync(`${path}.tmp`)) unlinkSync(`${path}.tmp`)
    if (!sealer) warnPlainFaceKey(log)
    if (!existsSync(path)) {
      const faceKey = randomBytes(32)
      const keyring = new FaceKeyring(dir, faceKey, {
        format,
        faceKey: storeFaceKey(faceKey, sealer),
        dataKeys: [],
      })
      keyring.write(keyring.file)
      return keyring
    }
    const file = readKeyringFile(path)
    const keyring = new FaceKeyring(dir, unstoreFaceKey(file.faceKey, sealer), file)
    // A key a browser-host run left plain goes under the OS key store as soon as there is one.
    if (sealer && 'plain' in file.faceKey) {
      keyring.write({ ...file, faceKey: storeFaceKey(keyring.faceKey, sealer) })
    }
    return keyring
  }

  /** Every data key's id and owner. */
  list(): { id: string; employeeId: string }[] {
    return this.file.dataKeys.map(({ id, employeeId }) => ({ id, employeeId }))
  }

  /** The person's data key `id`, or null when it was destroyed (or is not theirs). */
  dataKey(id: string, employeeId: string): DataKey | null {
    const entry = this.file.dataKeys.find((k) => k.id === id && k.employeeId === employeeId)
    if (!entry) return null
    const wrapped = Buffer.from(entry.wrapped, 'base64')
    return { id, employeeId, key: decryptBound(this.faceKey, wrapped, wrapAad(employeeId, id)) }
  }

  /** A new data key for each person, durable on disk before this returns. */
  create(employeeIds: readonly string[]): DataKey[] {
    const created = employeeIds.map((employeeId) => ({
      id: randomBytes(16).toString('hex'),
      employeeId,
      key: randomBytes(32),
    }))
    const entries = created.map(({ id, employeeId, key }) => ({
      id,
      employeeId,
      wrapped: encryptBound(this.faceKey, key, wrapAad(employeeId, id)).toString('base64'),
    }))
    this.write({ ...this.file, dataKeys: [...this.file.dataKeys, ...entries] })
    return created
  }

  /** Destroys the data keys `doomed` picks, durably; returns how many went. */
  destroy(doomed: (key: { id: string; employeeId: string }) => boolean): number {
    const kept = this.file.dataKeys.filter((k) => !doomed(k))
    const gone = this.file.dataKeys.length - kept.length
    if (gone > 0) this.write({ ...this.file, dataKeys: kept })
    return gone
  }

  private write(next: KeyringFile): void {
    writePrivateFileAtomically(this.dir, fileName, Buffer.from(JSON.stringify(next)))
    this.file = next
  }
}

function readKeyringFile(path: string): KeyringFile {
  try {
    return parseOrThrow(keyringSchema, JSON.parse(readFileSync(path, 'utf8')))
  } catch (error) {
    throw new FaceKeyError(`${path} is not a usable face keyring: ${(error as Error).message}`)
  }
}

/** Temp file (private to this user), fsync, rename over the old one, fsync the folder. */
function writePrivateFileAtomically(dir: string, name: string, bytes: Buffer): void {
  const temp = join(dir, `${name}.tmp`)
  const fd = openSync(temp, 'w', 0o600)
  try {
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, done)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, join(dir, name))
  fsyncDirectory(dir)
}
