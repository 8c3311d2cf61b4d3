/**
 * The running kiosk's control channel, both ends' shared parts: where it listens, the secret
 * that admits a caller, and how messages are framed (one JSON object per line, size-limited).
 *
 * A local socket name is reachable by every local user, so the name admits nobody by itself: a
 * caller must present the token the kiosk writes at each start into its data folder, readable by
 * the folder's owner alone, and the kiosk proves it knows the token too before the CLI believes
 * its answer.
 */
import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { defaultLockStrategy, socketName, type LockStrategy } from '../data-lock'

/** Largest request the kiosk reads, in bytes: options are a few paths and flags. */
export const maxRequestBytes = 64 * 1024
/** Largest answer the CLI reads, in bytes: a report lists every rejected row. */
export const maxReplyBytes = 32 * 1024 * 1024

/** Why a control call failed, as its envelope's code. */
export type ControlErrorCode =
  | 'CONTROL_BAD_REQUEST'
  | 'CONTROL_UNAUTHORISED'
  | 'CONTROL_UNKNOWN_COMMAND'
  | 'CONTROL_BAD_OPTIONS'
  | 'COMMAND_FAILED'

export interface ControlRequest {
  v: 1
  token: string
  /** Random, so the kiosk's proof cannot be replayed from an earlier answer. */
  nonce: string
  command: string
  options: unknown
}

export type ControlReply =
  | { ok: true; proof: string; value: unknown }
  | { ok: false; proof?: string; error: { code: ControlErrorCode; message: string } }

/**
 * Where the kiosk of `dataDir` listens: the lock's naming with its own prefix (an abstract
 * socket on Linux, a named pipe on Windows), or a socket file in the folder on macOS, which the
 * lock holder alone may replace.
 */
export function controlSocketPath(
  dataDir: string,
  strategy: LockStrategy = defaultLockStrategy(),
): string {
  if (strategy === 'socket-file') return join(dataDir, 'clockface.control')
  return socketName(dataDir, strategy, 'clockface-control')
}

/** The token file of a data folder. */
export function tokenPath(dataDir: string): string {
  return join(dataDir, 'control.token')
}

/** Writes a fresh token, mode 600, through an exclusive temp file renamed into place. */
export function writeToken(dataDir: string): string {
  const token = randomBytes(32).toString('hex')
  const temp = `${tokenPath(dataDir)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  // 'wx' never follows a link planted at the temp name; the mode is set before any byte lands.
  const fd = openSync(temp, 'wx', 0o600)
  try {
    writeSync(fd, `${token}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, tokenPath(dataDir))
  return token
}

/** The token of the kiosk running on `dataDir`; undefined when there is no token file. */
export function readToken(dataDir: string): string | undefined {
  try {
    return readFileSync(tokenPath(dataDir), 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(
      `cannot read the running kiosk's control token ${tokenPath(dataDir)}: ` +
        `${(error as Error).message} (run the command as the user the kiosk runs as)`,
      { cause: error },
    )
  }
}

/** Removes the token file; a kiosk that stops serving leaves none behind. */
export function removeToken(dataDir: string): void {
  rmSync(tokenPath(dataDir), { force: true })
}

/** True when `given` is the token; constant time whatever `given` is. */
export function tokenMatches(given: unknown, token: string): boolean {
  if (typeof given !== 'string') return false
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(given), digest(token))
}

/** The kiosk's answer to a caller's nonce: only a holder of the token can make it. */
export function proofFor(token: string, nonce: string): string {
  return createHmac('sha256', token).update(`clockface-control:${nonce}`).digest('hex')
}

/** A fresh nonce for one request. */
export function newNonce(): string {
  return randomBytes(16).toString('hex')
}

/**
 * Calls `onLine` with the first line the socket sends, or `onError` once it sends more than
 * `maxBytes` without a line break or ends first. Drops anything after that line.
 */
export function readLine(
  socket: Socket,
  maxBytes: number,
  onLine: (line: string) => void,
  onError: (message: string) => void,
): void {
  const chunks: Buffer[] = []
  let size = 0
  let done = false
  const finish = (run: () => void) => {
    if (done) return
    done = true
    socket.off('data', onData)
    // Whatever follows is read and dropped, so the peer's end of the connection is seen.
    socket.resume()
    run()
  }
  const onData = (chunk: Buffer) => {
    const end = chunk.indexOf(0x0a)
    const used = end === -1 ? chunk : chunk.subarray(0, end)
    size += used.length
    if (size > maxBytes) {
      finish(() => onError(`the message is longer than ${maxBytes} bytes`))
      return
    }
    chunks.push(used)
    if (end !== -1) finish(() => onLine(Buffer.concat(chunks).toString('utf8')))
  }
  socket.on('data', onData)
  socket.on('end', () => finish(() => onError('the connection ended before a whole message')))
}
