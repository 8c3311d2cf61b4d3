/**
 * The CLI while the kiosk runs: the real browser host holds the data folder, `npm run cli`
 * runs as a real child process, and the kiosk does the work and keeps taking punches, whatever
 * else arrives on its control channel.
 */
import { createConnection } from 'node:net'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../electron/core/config/config'
import { controlSocketPath, tokenPath } from '../../electron/core/control/channel'
import { openKiosk } from '../../electron/core/kiosk'
import { silentLogger } from '../../electron/core/logger'
import { startHost, type RunningHost } from '../e2e/host'
import { runCli, runCliIn } from '../fixtures/cli'
import { sampleRosterCsv } from '../fixtures/kiosk'

let dir: string
let host: RunningHost | undefined
afterAll(async () => {
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function badgePunch(badge: string): Promise<string> {
  const res = await fetch(new URL('/api/invoke', host!.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'attendance:badge', payload: { badge } }),
  })
  const envelope = (await res.json()) as { ok: boolean; value?: { status: string } }
  return envelope.ok ? envelope.value!.status : JSON.stringify(envelope)
}

function sendRaw(path: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path })
    let answer = ''
    socket.on('connect', () => socket.write(bytes))
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe('the CLI while the browser host runs', () => {
  it('hands roster import, punches import and export to the kiosk, which stays up', async () => {
    dir = await mkdtemp(join(tmpdir(), 'clockface-handoff-'))
    const config = join(dir, 'config.json')
    await writeFile(
      config,
      JSON.stringify({
        timeZone: 'Asia/Shanghai',
        site: { id: 'hq', name: 'HQ' },
        faces: { enabled: false },
      }),
    )
    const env = { CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: join(dir, 'data') }
    host = await startHost(env)

    await writeFile(join(dir, 'roster.csv'), sampleRosterCsv)
    const roster = runCli({ ...env }, 'roster', 'import', join(dir, 'roster.csv'))
    expect(roster.err).toBe('')
    expect(roster).toMatchObject({ code: 0 })
    expect(roster.out).toContain('Imported 3 employees (3 new, 0 updated)')
    expect(await badgePunch('10001')).toBe('recorded')

    await writeFile(
      join(dir, 'old-clock.csv'),
      'employee_id,type,occurred_at,method\nE002,in,2026-01-05T08:58:00+08:00,badge\n',
    )
    const imported = runCli(env, 'punches', 'import', join(dir, 'old-clock.csv'), '--no-upload')
    expect(imported.out).toContain('Imported 1 punch (0 already stored).')
    expect(imported.code).toBe(0)

    // Relative to the CLI's working directory, as a person types it; the kiosk gets it absolute.
    const exported = runCliIn(dir, env, 'punches', 'export', 'punches.csv')
    expect(exported.err).toBe('')
    expect(exported.out).toContain('Wrote 2 punches to')
    const lines = (await readFile(join(dir, 'punches.csv'), 'utf8')).trim().split('\r\n')
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 4).join(','))).toEqual([
      'E002,Alice Martin,in',
      'E001,张伟,in',
    ])

    const dataDir = join(dir, 'data')
    expect((await stat(tokenPath(dataDir))).mode & 0o777).toBe(0o600)
    const socket = controlSocketPath(dataDir)
    const wrongToken = JSON.stringify({
      v: 1,
      token: '0'.repeat(64),
      nonce: 'a'.repeat(32),
      command: 'punches export',
      options: { file: join(dir, 'stolen.csv') },
    })
    expect(JSON.parse(await sendRaw(socket, `${wrongToken}\n`))).toMatchObject({
      ok: false,
      error: { code: 'CONTROL_UNAUTHORISED' },
    })
    expect(JSON.parse(await sendRaw(socket, '\u0000\u0001garbage{{{\n'))).toMatchObject({
      ok: false,
      error: { code: 'CONTROL_BAD_REQUEST' },
    })
    expect(JSON.parse(await sendRaw(socket, 'x'.repeat(200_000)))).toMatchObject({
      error: { code: 'CONTROL_BAD_REQUEST' },
    })
    await expect(stat(join(dir, 'stolen.csv'))).rejects.toThrow()
    expect(await badgePunch('10002')).toBe('recorded')
    const again = runCli(env, 'punches', 'export', join(dir, 'punches.csv'))
    expect(again.out).toContain('Wrote 3 punches to')

    await host.stop()
    host = undefined
    const kiosk = await openKiosk({ loaded: loadConfig(env), log: silentLogger, startSync: false })
    try {
      const audited = kiosk.store.all<{ action: string }>(
        `SELECT action FROM audit WHERE action LIKE 'cli.%' ORDER BY seq`,
      )
      expect(audited.map((a) => a.action)).toEqual([
        'cli.roster.import',
        'cli.punches.import',
        'cli.punches.export',
        'cli.punches.export',
      ])
    } finally {
      await kiosk.close()
    }
    await expect(stat(tokenPath(dataDir))).rejects.toThrow()
  }, 90_000)
})
