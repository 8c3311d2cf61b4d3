/**
 * The snapshot worker thread, started on demand and shared by the stores of this process. It
 * stays up briefly after its last request, so snapshots that come back to back (a snapshot from
 * memory after a damaged journal, a test's many small stores) do not each pay ~100 ms to start a
 * thread and compile sql.js; then it exits, releasing the memory a large database took.
 */
import { Worker } from 'node:worker_threads'
import type { SnapshotReply, SnapshotRequest } from './snapshot-protocol'

const IDLE_EXIT_MS = 2000

interface Thread {
  worker: Worker
  waiting: Map<number, { resolve: (reply: SnapshotReply) => void; reject: (e: Error) => void }>
  idleTimer: NodeJS.Timeout | null
}

const threads = new Map<string, Thread>()
let nextId = 1

/** Sends one request to the worker at `workerPath` and resolves with its reply. */
export function runSnapshotWorker(
  workerPath: string | URL,
  request: SnapshotRequest,
): Promise<SnapshotReply> {
  const thread = threadFor(workerPath)
  if (thread.idleTimer) clearTimeout(thread.idleTimer)
  thread.idleTimer = null
  const id = nextId++
  thread.worker.ref()
  return new Promise<SnapshotReply>((resolve, reject) => {
    thread.waiting.set(id, { resolve, reject })
    const bytes = request.kind === 'write' ? request.bytes : null
    // Main's export is a fresh copy of the database: hand it over instead of copying it again.
    const whole = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    thread.worker.postMessage({ id, request }, whole ? [bytes.buffer as ArrayBuffer] : [])
  }).finally(() => {
    if (thread.waiting.size === 0 && threads.get(String(workerPath)) === thread) {
      thread.idleTimer = setTimeout(() => retire(workerPath, thread), IDLE_EXIT_MS).unref()
    }
  })
}

function threadFor(workerPath: string | URL): Thread {
  const key = String(workerPath)
  const running = threads.get(key)
  if (running) return running
  // The worker is plain JavaScript: no loader flags (tsx, vitest) need to follow it.
  const worker = new Worker(workerPath, { execArgv: [] })
  const thread: Thread = { worker, waiting: new Map(), idleTimer: null }
  threads.set(key, thread)
  // An idle thread must never keep the process alive; one with work pending does.
  worker.unref()
  const fail = (error: Error) => {
    if (threads.get(key) === thread) threads.delete(key)
    for (const job of thread.waiting.values()) job.reject(error)
    thread.waiting.clear()
  }
  worker.on('message', ({ id, reply }: { id: number; reply: SnapshotReply }) => {
    const job = thread.waiting.get(id)
    thread.waiting.delete(id)
    if (thread.waiting.size === 0) worker.unref()
    job?.resolve(reply)
  })
  worker.once('error', fail)
  worker.once('exit', (code) => fail(new Error(`snapshot worker exited with code ${code}`)))
  return thread
}

function retire(workerPath: string | URL, thread: Thread): void {
  if (thread.waiting.size > 0) return
  threads.delete(String(workerPath))
  void thread.worker.terminate()
}
