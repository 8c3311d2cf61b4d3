/**
 * The real Odoo 19 from ../shared/servers/odoo19, one server for every test file of a vitest
 * run: the first file to ask starts it (start.sh in a fresh mktemp -d), the last to let go
 * stops and purges it. A lock directory keeps asking and letting go apart across workers.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Where the shared Odoo kit lives, beside the repository. */
export const ODOO_KIT = resolve(import.meta.dirname, '../../../../shared/servers/odoo19')
/** True when the kit is there; CI must have it. */
export const hasOdooKit = existsSync(join(ODOO_KIT, 'start.sh'))

export interface RealOdoo {
  url: string
  db: string
  apiKey: string
  /** The employee start.sh made ("Kiosk Test Employee"). */
  employeeId: number
}

// One vitest run's workers share a parent process.
const base = join(tmpdir(), `clockface-odoo19-${process.ppid}`)
const pointer = `${base}.run`
const lock = `${base}.lock`

async function locked<T>(work: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      await mkdir(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 12_000) throw error
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  try {
    return await work()
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

/** Starts the real Odoo, or joins the one this run already started. */
export async function useRealOdoo(): Promise<RealOdoo> {
  const dir = await locked(async () => {
    let dir = existsSync(pointer) ? (await readFile(pointer, 'utf8')).trim() : ''
    if (!dir) {
      dir = await mkdtemp(join(tmpdir(), 'clockface-odoo19-'))
      await writeFile(pointer, dir)
    }
    await mkdir(join(dir, 'users'), { recursive: true })
    await writeFile(join(dir, 'users', String(process.pid)), '')
    return dir
  })
  // start.sh is idempotent and serialises concurrent calls itself.
  const { stdout } = await run('timeout', ['1200', join(ODOO_KIT, 'start.sh'), dir], {
    maxBuffer: 64 * 1024 * 1024,
  })
  const env = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .pop()!
      .split(' ')
      .map((pair) => pair.split('=') as [string, string]),
  )
  if (!env.ODOO_URL || !env.ODOO_API_KEY) throw new Error(`start.sh said: ${stdout.slice(-500)}`)
  return {
    url: env.ODOO_URL,
    db: env.ODOO_DB ?? 'kiosk',
    apiKey: env.ODOO_API_KEY,
    employeeId: Number(env.ODOO_EMPLOYEE_ID),
  }
}

/** Lets go of the real Odoo; the last user stops it and purges its folder. */
export async function releaseRealOdoo(): Promise<void> {
  await locked(async () => {
    if (!existsSync(pointer)) return
    const dir = (await readFile(pointer, 'utf8')).trim()
    await rm(join(dir, 'users', String(process.pid)), { force: true })
    const users = await readdir(join(dir, 'users')).catch(() => [])
    if (users.length > 0) return
    await run(join(ODOO_KIT, 'stop.sh'), [dir, '--purge'])
    await rm(pointer, { force: true })
  })
}

/** A JSON-2 call as the test's own admin, outside the connector. */
export async function json2(
  odoo: Pick<RealOdoo, 'url' | 'db' | 'apiKey'>,
  model: string,
  method: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  const res = await fetch(`${odoo.url}/json/2/${model}/${method}`, {
    method: 'POST',
    headers: {
      Authorization: `bearer ${odoo.apiKey}`,
      'Content-Type': 'application/json',
      'X-Odoo-Database': odoo.db,
    },
    body: JSON.stringify(params),
  })
  const body = (await res.json()) as unknown
  if (!res.ok)
    throw new Error(`${model}.${method}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  return body
}
