/**
 * The socket-file lock, for macOS, which has neither abstract sockets nor named pipes: a socket
 * bound inside the data folder. A dead holder leaves its file behind and connections to it are
 * refused. Such a file is never replaced or reused, so two takers can never both win:
 *
 * - each holder makes a new generation, `clockface.lock.N`, by hard-linking a socket that already
 *   listens to that name; link(2) never replaces a name, so exactly one taker gets each N;
 * - a taker makes generation N + 1 only after a connection to generation N was refused;
 * - a taker that then finds a newer generation than its own gives up, so once a holder has
 *   cleared the older generations, a late taker that makes one of them again cannot win.
 *
 * The newest generation therefore never goes back, and only its holder can be alive.
 */
import { randomBytes } from 'node:crypto'
import { linkSync, readdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { heldBy, holderServer, listen, probeHolder, type LockAttempt } from './data-lock-socket'

const generationFile = /^clockface\.lock\.(\d+)$/
const boundFile = /^clockface\.lock\.new-[0-9a-f]+$/
// A socket path must fit sun_path: 104 bytes on macOS (108 on Linux), the final NUL included.
const maxSocketPath = 103
// Each round either decides or saw the folder change under it; this many changes is a fault.
const maxRounds = 100

/** One try at the folder's socket-file lock. */
export async function lockBySocketFile(dir: string): Promise<LockAttempt> {
  for (let round = 0; round < maxRounds; round++) {
    const newest = newestGeneration(dir)
    if (newest > 0) {
      const path = generationPath(dir, newest)
      const holder = await probeHolder(path)
      if (holder.state === 'live') return { heldAt: path }
      if (holder.state === 'gone') continue
    }
    const attempt = await claim(dir, newest + 1)
    if (attempt) return attempt
  }
  throw new Error('its lock files kept changing under every try')
}

/** Makes `generation` with a listening socket; undefined when another taker got there first. */
async function claim(dir: string, generation: number): Promise<LockAttempt | undefined> {
  const bound = join(dir, `clockface.lock.new-${randomBytes(4).toString('hex')}`)
  if (Buffer.byteLength(bound) > maxSocketPath) {
    throw new Error(
      `its path is too long for the lock (a socket path holds at most ${maxSocketPath} ` +
        'bytes): choose a shorter data folder (CLOCKFACE_DATA_DIR or "dataDir")',
    )
  }
  const server = holderServer()
  await listen(server, bound)
  const lock = heldBy(server)
  const path = generationPath(dir, generation)
  try {
    linkSync(bound, path)
  } catch (error) {
    // Closing the server removes the file it was bound to.
    lock.release()
    const code = (error as NodeJS.ErrnoException).code
    // EEXIST: another taker made this generation; ENOENT: a new holder cleared our socket.
    if (code === 'EEXIST' || code === 'ENOENT') return undefined
    throw error
  }
  removeQuietly(bound)
  if (newestGeneration(dir) > generation) {
    lock.release()
    removeQuietly(path)
    return undefined
  }
  for (const name of readdirSync(dir)) {
    const older = Number(generationFile.exec(name)?.[1] ?? generation) < generation
    if (older || boundFile.test(name)) removeQuietly(join(dir, name))
  }
  return { lock }
}

function newestGeneration(dir: string): number {
  let newest = 0
  for (const name of readdirSync(dir)) {
    const match = generationFile.exec(name)
    if (match) newest = Math.max(newest, Number(match[1]))
  }
  return newest
}

function generationPath(dir: string, generation: number): string {
  return join(dir, `clockface.lock.${generation}`)
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already removed by another taker: nothing to clear.
  }
}
