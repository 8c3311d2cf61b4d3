/** Closes the kiosk core (the punch store) before the process exits. */
import { app } from 'electron'
import type { Kiosk } from '../core/kiosk'
import type { Logger } from '../core/logger'

/** Holds `will-quit` until the kiosk has closed, or `timeoutMs` has passed, then quits. */
export function setupShutdown(kiosk: Pick<Kiosk, 'close'>, log: Logger, timeoutMs = 5_000): void {
  let state: 'open' | 'closing' | 'closed' = 'open'
  app.on('will-quit', (event) => {
    if (state === 'closed') return
    event.preventDefault()
    if (state === 'closing') return
    state = 'closing'
    // Punches are durable the moment they are acknowledged (journal, fsync per append), so a
    // close that hangs may be cut short: the kiosk must not refuse to quit.
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer after ${timeoutMs} ms`)), timeoutMs)
    })
    Promise.race([kiosk.close(), timeout])
      .then(() => log.info('shutdown: kiosk closed'))
      .catch((error: unknown) => log.error('shutdown: the kiosk did not close cleanly', error))
      .finally(() => {
        clearTimeout(timer)
        state = 'closed'
        app.quit()
      })
  })
}
