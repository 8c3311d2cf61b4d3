/**
 * Runs a command that works while the kiosk runs: handed to the running kiosk over its control
 * channel when there is one, else against the data folder opened here. Either way the same code
 * runs and the same lines are printed.
 */
import { loadConfig } from '../core/config/config'
import { handToKiosk } from '../core/control/client'
import { runOperation, type OperationName } from '../core/control/operations'
import { DataDirBusyError } from '../core/data-lock'
import { openKiosk } from '../core/kiosk'
import { consoleLogger } from '../core/logger'
import { terminalSides, type Printed } from './commands'
import { version } from '../../package.json'

/** Parses, runs and prints one registered command; returns its exit code. */
export async function runRegistered(name: OperationName, args: string[]): Promise<number> {
  const side = terminalSides[name]
  const options = side.parse(args, process.cwd())
  const loaded = loadConfig()
  const print = (outcome: unknown): number => {
    const printed: Printed = side.print(outcome as never, options as never)
    process.stdout.write(printed.out)
    return printed.code
  }
  const handed = await handToKiosk(loaded.dataDir, name, options)
  if (handed.state === 'answered') return print(handed.value)
  let kiosk
  try {
    kiosk = await openKiosk({
      loaded,
      log: consoleLogger({ quiet: true }),
      version,
      startSync: false,
      serveControl: false,
    })
  } catch (error) {
    // A kiosk that started between the two tries serves its channel by now.
    if (!(error instanceof DataDirBusyError)) throw error
    const again = await handToKiosk(loaded.dataDir, name, options)
    if (again.state === 'answered') return print(again.value)
    throw error
  }
  try {
    return print(await runOperation(kiosk.operations, name, options, 'local'))
  } finally {
    await kiosk.close()
  }
}
