/** The CLI's side of the control channel: hands one command to the kiosk running on a folder. */
import { createConnection } from 'node:net'
import type { LockStrategy } from '../data-lock'
import {
  controlSocketPath,
  maxReplyBytes,
  newNonce,
  proofFor,
  readLine,
  readToken,
  type ControlErrorCode,
  type ControlReply,
  type ControlRequest,
} from './channel'

/** The kiosk refused the command or it failed there; the message says why. */
export class ControlError extends Error {
  override name = 'ControlError'
  constructor(
    readonly code: ControlErrorCode | 'CONTROL_UNREACHABLE',
    message: string,
  ) {
    super(message)
  }
}

export type Handoff = { state: 'absent' } | { state: 'answered'; value: unknown }

/**
 * Sends the command to the kiosk serving `dataDir`: 'absent' when none serves it (no token, or
 * nothing listens), else the command's outcome. Throws ControlError when the kiosk refuses it,
 * the command fails there, or the answer does not prove it came from that kiosk.
 */
export async function handToKiosk(
  dataDir: string,
  command: string,
  options: unknown,
  settings: { strategy?: LockStrategy; token?: string } = {},
): Promise<Handoff> {
  const token = settings.token ?? tokenOf(dataDir)
  if (token === undefined) return { state: 'absent' }
  const request: ControlRequest = { v: 1, token, nonce: newNonce(), command, options }
  const line = await exchange(controlSocketPath(dataDir, settings.strategy), request)
  if (line === undefined) return { state: 'absent' }
  let reply: ControlReply
  try {
    reply = JSON.parse(line) as ControlReply
  } catch {
    throw new ControlError('CONTROL_UNREACHABLE', 'the kiosk answered with something not JSON')
  }
  if (!reply.ok && reply.error?.code === 'CONTROL_UNAUTHORISED') {
    throw new ControlError(
      reply.error.code,
      `the kiosk refused the command: ${reply.error.message}`,
    )
  }
  if (reply.proof !== proofFor(token, request.nonce)) {
    throw new ControlError(
      'CONTROL_UNREACHABLE',
      "the control channel's answer does not prove it comes from this folder's kiosk; ignored",
    )
  }
  if (!reply.ok) throw new ControlError(reply.error.code, reply.error.message)
  return { state: 'answered', value: reply.value }
}

function tokenOf(dataDir: string): string | undefined {
  try {
    return readToken(dataDir)
  } catch (error) {
    throw new ControlError('CONTROL_UNREACHABLE', (error as Error).message)
  }
}

/** The reply line, or undefined when nothing listens at `path`. */
function exchange(path: string, request: ControlRequest): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path })
    let connected = false
    socket.on('connect', () => {
      connected = true
      socket.write(`${JSON.stringify(request)}\n`)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT')) {
        resolve(undefined)
        return
      }
      reject(
        new ControlError('CONTROL_UNREACHABLE', `the kiosk's control channel: ${error.message}`),
      )
    })
    readLine(
      socket,
      maxReplyBytes,
      (line) => {
        socket.destroy()
        resolve(line)
      },
      (message) => {
        socket.destroy()
        if (!connected) return
        reject(new ControlError('CONTROL_UNREACHABLE', `the kiosk did not answer: ${message}`))
      },
    )
  })
}
