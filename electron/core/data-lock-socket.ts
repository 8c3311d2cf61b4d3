/** The holder's side of a socket lock and the caller's probe of it, shared by every strategy. */
import { createConnection, createServer, type Server } from 'node:net'

export interface DataDirLock {
  /** Lets the folder go; calling it again does nothing. */
  release(): void
}

/** What one try found: the lock, or the socket where its holder answers. */
export type LockAttempt = { lock: DataDirLock } | { heldAt: string }

/** A server that answers every caller with this process's pid, for the busy message only. */
export function holderServer(): Server {
  return createServer((socket) => {
    socket.on('error', () => {})
    socket.end(`${JSON.stringify({ clockface: true, pid: process.pid })}\n`)
  })
}

/** Listens on a socket path or name; rejects with the system's error (EADDRINUSE …). */
export function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ path, backlog: 511 }, () => {
      server.off('error', reject)
      // A failed accept (out of file handles, say) costs only the pid answer; the lock holds.
      server.on('error', () => {})
      // The lock never keeps a process alive: the CLI exits when its work is done.
      server.unref()
      resolve()
    })
  })
}

/** The lock held by a listening server: closing the server lets it go. */
export function heldBy(server: Server): DataDirLock {
  let held = true
  return {
    release() {
      if (!held) return
      held = false
      server.close()
    },
  }
}

/**
 * Connects to a holder: 'refused' when nothing listens there (its holder is dead), 'gone' when
 * there is no such socket, else 'live' with the pid it answered, if any. Any other failure
 * counts as live: only a refused connection may ever let a lock be taken over.
 */
export function probeHolder(
  path: string,
): Promise<{ state: 'live'; pid?: number } | { state: 'refused' | 'gone' }> {
  return new Promise((resolve) => {
    const socket = createConnection({ path })
    let answer = ''
    const live = () => {
      socket.destroy()
      const pid = /"pid":(\d+)/.exec(answer)?.[1]
      resolve({ state: 'live', pid: pid === undefined ? undefined : Number(pid) })
    }
    socket.setTimeout(500, live)
    socket.on('data', (chunk) => {
      answer += chunk
      if (answer.includes('\n') || answer.length > 200) live()
    })
    socket.on('end', live)
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve({ state: 'refused' })
      else if (error.code === 'ENOENT') resolve({ state: 'gone' })
      else live()
    })
  })
}
