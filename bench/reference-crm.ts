/** The reference CRM (test/crm/dev.ts) as its own process on loopback, for the benchmarks. */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

const root = resolve(import.meta.dirname, '..')

/** Starts it on a free port with `args` (e.g. --data, --token, --roster); resolves once it listens. */
export async function startReferenceCrm(
  args: readonly string[],
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/crm/dev.ts', '--port', '0', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.on('exit', (code) => reject(new Error(`reference CRM exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line)
      if (match) resolveUrl(match[1]!)
    })
  })
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        child.removeAllListeners('exit')
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}
