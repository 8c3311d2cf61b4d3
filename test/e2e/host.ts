/** Starts the real browser host (the `start:browser` entry) on a free loopback port. */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'

export const root = resolve(import.meta.dirname, '../..')

export interface RunningHost {
  url: string
  process: ChildProcess
  stop(): Promise<void>
}

/** Runs the host with this environment and resolves once it prints its URL. */
export function startHost(env: NodeJS.ProcessEnv): Promise<RunningHost> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/host/index.ts', '--port', '0'],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolveHost, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${stderr}`)), 30_000)
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${stderr}`)))
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)
      if (!match) return
      clearTimeout(timer)
      resolveHost({
        url: match[0],
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

/**
 * A USB badge reader: the keys back to back, then Enter. Like a real reader's events, each key
 * carries the time it was pressed (8 ms apart), so a page busy with camera frames, which delays
 * when the keys are handled, does not make the scan look typed by hand.
 */
export async function scanBadge(page: Page, badge: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const start = Date.now() / 1000
    const keys = [...badge, 'Enter']
    for (const [i, key] of keys.entries()) {
      const enter = key === 'Enter'
      const base = {
        key,
        code: enter ? 'Enter' : `Digit${key}`,
        windowsVirtualKeyCode: enter ? 13 : key.toUpperCase().charCodeAt(0),
        timestamp: start + i * 0.008,
      }
      await cdp.send('Input.dispatchKeyEvent', {
        ...base,
        type: 'keyDown',
        text: enter ? '\r' : key,
      })
      await cdp.send('Input.dispatchKeyEvent', { ...base, type: 'keyUp' })
    }
  } finally {
    await cdp.detach()
  }
}
