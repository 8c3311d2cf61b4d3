/** Where core writes what an operator may need to read; never biometric data, PINs or badges. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string, error?: unknown): void
}

/** Logs to stderr with a timestamp; `quiet` drops info lines (tests, CLI). */
export function consoleLogger(opts: { quiet?: boolean } = {}): Logger {
  const line = (level: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`)
  return {
    info: (message) => {
      if (!opts.quiet) line('info', message)
    },
    warn: (message) => line('warn', message),
    error: (message, error) =>
      line('error', error instanceof Error ? `${message}: ${error.message}` : message),
  }
}

/** Discards everything; for tests that assert on behaviour, not logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
