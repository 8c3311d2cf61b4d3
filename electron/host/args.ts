/** Command-line options of the browser host. */

export interface HostArgs {
  host: string
  port: number
}

/** A mistake in how the command was called; the message says how to call it. */
export class UsageError extends Error {
  override name = 'UsageError'
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1'])

/** Parses `--port N` and `--host H`; refuses any host that is not loopback. */
export function parseHostArgs(argv: readonly string[]): HostArgs {
  const args: HostArgs = { host: '127.0.0.1', port: 4173 }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined]
    const value = inline ?? argv[++i]
    if (flag === '--port') {
      const port = Number(value)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(
          `--port must be a number from 0 to 65535, got ${JSON.stringify(value)}`,
        )
      }
      args.port = port
    } else if (flag === '--host') {
      if (!value || !loopback.has(value)) {
        throw new UsageError(
          `--host must be a loopback address (127.0.0.1, ::1 or localhost), got ${JSON.stringify(value)}: ` +
            'the browser host serves this machine only',
        )
      }
      args.host = value === 'localhost' ? '127.0.0.1' : value
    } else {
      throw new UsageError(
        `unknown option ${JSON.stringify(argv[i])}; usage: start:browser -- [--port N] [--host 127.0.0.1]`,
      )
    }
  }
  return args
}
