/**
 * `npm run start:browser -- --port N`: the real kiosk (same config, store, services and
 * handlers as the Electron app) served to a browser on this machine only.
 */
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig } from '../core/config/config'
import { DataDirBusyError } from '../core/data-lock'
import { openKiosk } from '../core/kiosk'
import { consoleLogger } from '../core/logger'
import { parseHostArgs, UsageError } from './args'
import { createHostServer } from './server'
import { version } from '../../package.json'

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2))
  const loaded = loadConfig()
  const log = consoleLogger()
  log.info(`config: ${loaded.fromFile ? loaded.path : `none at ${loaded.path}, using defaults`}`)
  log.info(`data: ${loaded.dataDir}`)
  const kiosk = await openKiosk({ loaded, log, version })
  const rendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url))
  const server = createHostServer({ kiosk, rendererDir })
  server.on('error', (error) => {
    log.error('the browser host could not start', error)
    void kiosk.close().finally(() => process.exit(1))
  })
  server.listen(args.port, args.host, () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : args.port
    const host = args.host === '::1' ? '[::1]' : args.host
    process.stdout.write(`Clockface kiosk (browser host): http://${host}:${port}/\n`)
  })
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    server.closeAllConnections()
    server.close()
    void kiosk.close().finally(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof UsageError
  process.stderr.write(`clockface: ${known ? (error as Error).message : String(error)}\n`)
  if (!known && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
  process.exit(known ? 2 : 1)
})
