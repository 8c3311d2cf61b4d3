/**
 * PIN lockouts survive kill -9: the real browser host in a child process is locked out over
 * HTTP, killed without warning, started again on the same data folder, and still refuses the
 * right PINs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openKiosk } from '../../electron/core/kiosk'
import { silentLogger } from '../../electron/core/logger'
import { importRoster } from '../../electron/core/roster/import'
import { hashPin } from '../../electron/core/roster/pin'
import { startHost, type RunningHost } from '../e2e/host'
import { sampleRosterCsv, testConfig } from '../fixtures/kiosk'

const dirs: string[] = []
let host: RunningHost | undefined
afterAll(async () => {
  await host?.stop()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

async function invoke(url: string, channel: string, payload: unknown, cookie: string) {
  const res = await fetch(new URL('/api/invoke', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ channel, payload }),
  })
  const envelope = (await res.json()) as { ok: boolean; error?: { code: string } }
  return envelope.ok ? 'ok' : envelope.error!.code
}

async function pageCookie(url: string): Promise<string> {
  const page = await fetch(url)
  return (page.headers.get('set-cookie') ?? '').split(';')[0]!
}

describe('PIN lockouts', () => {
  it('survive kill -9 of the browser host', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clockface-lockout-'))
    dirs.push(dataDir)
    const configPath = join(dataDir, 'config.json')
    await writeFile(configPath, JSON.stringify({ adminPinHash: hashPin('2468') }))
    const loaded = { config: testConfig(), dataDir, path: configPath, fromFile: true }
    const seed = await openKiosk({ loaded, log: silentLogger, startSync: false })
    importRoster(seed.store, sampleRosterCsv, Date.now())
    await seed.close()
    const env = { CLOCKFACE_CONFIG: configPath, CLOCKFACE_DATA_DIR: dataDir }

    host = await startHost(env)
    let cookie = await pageCookie(host.url)
    for (let i = 0; i < 5; i++) {
      await invoke(host.url, 'admin:unlock', { pin: '1111' }, cookie)
      await invoke(host.url, 'attendance:pin', { employeeId: 'E001', pin: '1111' }, cookie)
    }
    const killed = new Promise((resolve) => host!.process.once('exit', resolve))
    host.process.kill('SIGKILL')
    await killed

    host = await startHost(env)
    cookie = await pageCookie(host.url)
    expect(await invoke(host.url, 'admin:unlock', { pin: '2468' }, cookie)).toBe('PIN_LOCKED')
    expect(
      await invoke(host.url, 'attendance:pin', { employeeId: 'E001', pin: '1234' }, cookie),
    ).toBe('PIN_LOCKED')
  }, 60_000)
})
