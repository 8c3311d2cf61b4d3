/**
 * The running kiosk's side of the control channel: it admits a caller holding this start's
 * token, runs one registered command at a time in this process (its store, its lock) and answers
 * with the command's outcome. Whatever arrives, the worst a caller gets is an error answer.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { rmSync } from 'node:fs'
import type { LockStrategy } from '../data-lock'
import type { Logger } from '../logger'
import { SchemaError } from '../../shared/schema'
import {
  controlSocketPath,
  maxRequestBytes,
  proofFor,
  readLine,
  removeToken,
  tokenMatches,
  writeToken,
  type ControlErrorCode,
  type ControlReply,
} from './channel'
import { isKnownFailure, isOperationName, type OperationName } from './operations'

export interface ControlOptions {
  dataDir: string
  log: Logger
  /** Runs a registered command; what it returns is the answer's value. */
  run(command: OperationName, options: unknown): Promise<unknown>
  strategy?: LockStrategy
  /** How long a caller may take to send its request, in ms; default 10 s. */
  requestTimeoutMs?: number
}

export interface ControlServer {
  /** Stops listening, waits for a running command, removes the token. */
  close(): Promise<void>
}

/** Serves the control channel of `dataDir`; call only while holding the folder's lock. */
export async function serveControl(options: ControlOptions): Promise<ControlServer> {
  const { dataDir, log } = options
  const path = controlSocketPath(dataDir, options.strategy)
  // The lock holder alone gets here, so a socket file left by a dead holder is safe to replace.
  let token: string
  try {
    if (!path.startsWith('\0') && !path.startsWith('\\\\')) rmSync(path, { force: true })
    token = writeToken(dataDir)
  } catch (error) {
    log.error('the CLI cannot reach this kiosk: its control token cannot be written', error)
    return { close: async () => {} }
  }
  let queue: Promise<unknown> = Promise.resolve()
  const open = new Set<Socket>()
  const server = createServer((socket) => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => {})
    socket.setTimeout(options.requestTimeoutMs ?? 10_000, () => socket.destroy())
    readLine(
      socket,
      maxRequestBytes,
      (line) => {
        socket.setTimeout(0)
        const answer = queue.then(() => answerRequest(line, token, options))
        queue = answer.catch(() => {})
        void answer.then((reply) => send(socket, reply))
      },
      (message) => send(socket, refusal('CONTROL_BAD_REQUEST', message)),
    )
  })
  server.maxConnections = 16
  try {
    await listen(server, path)
  } catch (error) {
    removeToken(dataDir)
    log.error(`the CLI cannot reach this kiosk: its control channel ${path} is taken`, error)
    return { close: async () => {} }
  }
  return {
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      await queue
      // A caller that never hangs up must not keep the kiosk from stopping.
      for (const socket of open) socket.destroy()
      await closed
      removeToken(dataDir)
    },
  }
}

async function answerRequest(
  line: string,
  token: string,
  options: ControlOptions,
): Promise<ControlReply> {
  let request: unknown
  try {
    request = JSON.parse(line)
  } catch {
    return refusal('CONTROL_BAD_REQUEST', 'not a Clockface control request (expected JSON)')
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return refusal('CONTROL_BAD_REQUEST', 'not a Clockface control request (expected an object)')
  }
  const {
    v,
    token: given,
    nonce,
    command,
    options: commandOptions,
  } = request as Record<string, unknown>
  if (!tokenMatches(given, token)) {
    options.log.warn('control channel: a request with a wrong token was refused')
    return refusal(
      'CONTROL_UNAUTHORISED',
      "wrong control token: the kiosk accepts only the token in its data folder's control.token",
    )
  }
  if (v !== 1 || typeof nonce !== 'string' || !/^[0-9a-f]{16,64}$/.test(nonce)) {
    return refusal('CONTROL_BAD_REQUEST', 'unsupported control request (v must be 1, with a nonce)')
  }
  const proof = proofFor(token, nonce)
  if (!isOperationName(command)) {
    const message = `the kiosk cannot run "${String(command).slice(0, 80)}" while it runs`
    return { ...refusal('CONTROL_UNKNOWN_COMMAND', message), proof }
  }
  try {
    return { ok: true, proof, value: await options.run(command, commandOptions) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!isKnownFailure(error)) options.log.error(`cli ${command} failed in the kiosk`, error)
    const code = error instanceof SchemaError ? 'CONTROL_BAD_OPTIONS' : 'COMMAND_FAILED'
    return { ...refusal(code, message), proof }
  }
}

function refusal(code: ControlErrorCode, message: string): ControlReply {
  return { ok: false, error: { code, message } }
}

function send(socket: Socket, reply: ControlReply): void {
  if (socket.destroyed) return
  socket.end(`${JSON.stringify(reply)}\n`)
  socket.setTimeout(5_000, () => socket.destroy())
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ path, backlog: 64 }, () => {
      server.off('error', reject)
      server.on('error', () => {})
      // The channel never keeps a process alive; the kiosk's window or HTTP server does.
      server.unref()
      resolve()
    })
  })
}
