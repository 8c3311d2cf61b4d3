/**
 * The control channel of a real kiosk core (real store, real sockets): it runs registered
 * commands for a caller holding this start's token and answers everything else with an error,
 * never a crash, while it keeps taking punches.
 */
import { createConnection, createServer } from 'node:net'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  controlSocketPath,
  maxRequestBytes,
  readToken,
  tokenPath,
  writeToken,
} from '../../../electron/core/control/channel'
import { ControlError, handToKiosk } from '../../../electron/core/control/client'
import { serveControl } from '../../../electron/core/control/server'
import { openKiosk } from '../../../electron/core/kiosk'
import { silentLogger } from '../../../electron/core/logger'
import { variants } from '../../fixtures/descriptors'
import { recoverableTemplates } from '../faces/recoverable-templates'
import { call, openTestKiosk, sampleRosterCsv, type TestKiosk } from '../../fixtures/kiosk'

let t: TestKiosk
const dirs: string[] = []

beforeEach(async () => {
  t = await openTestKiosk({ faces: { liveness: 'off', agreeFrames: 2 } })
  t.importCsv(sampleRosterCsv)
})
afterEach(async () => {
  await t.cleanup()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clockface-control-'))
  dirs.push(dir)
  return dir
}

/** Sends raw bytes to the kiosk's channel and returns what it answers, parsed. */
function rawExchange(
  bytes: string | Buffer,
  path = controlSocketPath(t.dataDir),
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path })
    let answer = ''
    socket.on('connect', () => socket.write(bytes))
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('end', () => resolve(answer === '' ? null : JSON.parse(answer)))
    socket.on('error', reject)
  })
}

async function exportedPunches(): Promise<number> {
  const file = join(t.dataDir, 'out.csv')
  const handed = await handToKiosk(t.dataDir, 'punches export', { file })
  expect(handed.state).toBe('answered')
  return (await readFile(file, 'utf8')).trim().split('\n').length - 1
}

describe('the control channel', () => {
  it('runs a handed-over command in the kiosk and audits it', async () => {
    await call(t.kiosk, 'recordBadgePunch', { badge: '10001' })
    expect(await exportedPunches()).toBe(1)
    const audit = t.kiosk.store.all<{ action: string; detail: string }>(
      `SELECT action, detail FROM audit WHERE action LIKE 'cli.%'`,
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]!.action).toBe('cli.punches.export')
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ via: 'control' })
  })

  it('keeps its token in a file only its owner can read, new at each start, gone at close', async () => {
    const first = readToken(t.dataDir)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect((await stat(tokenPath(t.dataDir))).mode & 0o777).toBe(0o600)
    await t.reopen()
    expect(readToken(t.dataDir)).not.toBe(first)
    await t.kiosk.close()
    expect(readToken(t.dataDir)).toBeUndefined()
    t.kiosk = await openKiosk({
      loaded: { config: t.kiosk.config, dataDir: t.dataDir, path: '(test)', fromFile: false },
      log: silentLogger,
    })
  })

  it('refuses a wrong token, an unknown command and bad options, each with a clear error', async () => {
    const file = join(t.dataDir, 'out.csv')
    await expect(
      handToKiosk(t.dataDir, 'punches export', { file }, { token: 'f'.repeat(64) }),
    ).rejects.toThrow(/refused the command: wrong control token/)
    await expect(
      handToKiosk(t.dataDir, 'punches export', { file }, { token: 'short' }),
    ).rejects.toMatchObject({ code: 'CONTROL_UNAUTHORISED' })
    await expect(handToKiosk(t.dataDir, 'status', {})).rejects.toMatchObject({
      code: 'CONTROL_UNKNOWN_COMMAND',
    })
    await expect(handToKiosk(t.dataDir, 'constructor', {})).rejects.toMatchObject({
      code: 'CONTROL_UNKNOWN_COMMAND',
    })
    await expect(
      handToKiosk(t.dataDir, 'punches export', { file: 'relative.csv' }),
    ).rejects.toThrow('options.file must be an absolute path')
    await expect(
      handToKiosk(t.dataDir, 'punches export', { file, from: '2026-02-30' }),
    ).rejects.toMatchObject({ code: 'CONTROL_BAD_OPTIONS' })
    await expect(
      handToKiosk(t.dataDir, 'roster import', { file: join(t.dataDir, 'missing.csv') }),
    ).rejects.toThrow(/^cannot read .*missing\.csv/)
    expect(
      t.kiosk.store.all(`SELECT * FROM audit WHERE action = 'cli.roster.import'`),
    ).toHaveLength(1)
  })

  it('answers garbage with an error, never a crash, and keeps taking punches', async () => {
    const token = readToken(t.dataDir)!
    expect(await rawExchange('hello\n')).toMatchObject({
      ok: false,
      error: { code: 'CONTROL_BAD_REQUEST', message: expect.stringContaining('expected JSON') },
    })
    expect(await rawExchange('[1,2]\n')).toMatchObject({ error: { code: 'CONTROL_BAD_REQUEST' } })
    expect(await rawExchange('null\n')).toMatchObject({ error: { code: 'CONTROL_BAD_REQUEST' } })
    expect(await rawExchange(Buffer.from([0xff, 0xfe, 0x00, 0x0a]))).toMatchObject({
      error: { code: 'CONTROL_BAD_REQUEST' },
    })
    expect(await rawExchange('x'.repeat(maxRequestBytes + 10))).toMatchObject({
      error: { code: 'CONTROL_BAD_REQUEST', message: expect.stringContaining('longer than') },
    })
    expect(await rawExchange(`{"token":${JSON.stringify(token)},"v":1}\n`)).toMatchObject({
      error: { code: 'CONTROL_BAD_REQUEST' },
    })
    const proto = `{"token":${JSON.stringify(token)},"v":1,"nonce":"${'a'.repeat(32)}","command":"__proto__"}\n`
    expect(await rawExchange(proto)).toMatchObject({ error: { code: 'CONTROL_UNKNOWN_COMMAND' } })
    const options = `{"token":${JSON.stringify(token)},"v":1,"nonce":"${'a'.repeat(32)}","command":"punches export","options":{"file":"/tmp/x","__proto__":{"a":1},"extra":1}}\n`
    expect(await rawExchange(options)).toMatchObject({ error: { code: 'CONTROL_BAD_OPTIONS' } })
    expect(await call(t.kiosk, 'recordBadgePunch', { badge: '10002' })).toMatchObject({
      status: 'recorded',
    })
    expect(await exportedPunches()).toBe(1)
  })

  it('closes a connection that sends nothing, and still serves the next', async () => {
    const dir = await tempDir()
    const server = await serveControl({
      dataDir: dir,
      log: silentLogger,
      run: async () => 'ran',
      strategy: 'socket-file',
      requestTimeoutMs: 100,
    })
    try {
      const path = controlSocketPath(dir, 'socket-file')
      expect(await rawExchange('', path)).toBeNull()
      const handed = await handToKiosk(dir, 'punches export', {}, { strategy: 'socket-file' })
      expect(handed).toEqual({ state: 'answered', value: 'ran' })
    } finally {
      await server.close()
    }
  })

  it('believes no answer that does not prove it knows the token', async () => {
    const dir = await tempDir()
    writeToken(dir)
    const path = controlSocketPath(dir, 'socket-file')
    const impostor = createServer((socket) => {
      socket.resume()
      socket.end(`${JSON.stringify({ ok: true, proof: 'x', value: { count: 99 } })}\n`)
    })
    await new Promise<void>((resolve) => impostor.listen(path, resolve))
    try {
      const handed = handToKiosk(dir, 'punches export', {}, { strategy: 'socket-file' })
      await expect(handed).rejects.toBeInstanceOf(ControlError)
      await expect(handed).rejects.toThrow('does not prove it comes from')
    } finally {
      await new Promise((resolve) => impostor.close(resolve))
    }
  })

  it('finds no kiosk where no token is, or nothing listens', async () => {
    const dir = await tempDir()
    expect(await handToKiosk(dir, 'punches export', {})).toEqual({ state: 'absent' })
    await writeFile(tokenPath(dir), 'stale\n')
    expect(await handToKiosk(dir, 'punches export', {})).toEqual({ state: 'absent' })
  })

  it('makes the faces of someone a handed-over roster import deactivates unrecoverable at once', async () => {
    const consent = { method: 'paper' as const, signedAt: Date.parse('2026-03-01T00:00:00Z') }
    const enrolled = { E001: variants(1, 3), E002: variants(2, 3) }
    await t.kiosk.faces.enrolDescriptors('E001', enrolled.E001, consent, 'test')
    await t.kiosk.faces.enrolDescriptors('E002', enrolled.E002, consent, 'test')
    expect(recoverableTemplates(t.dataDir, enrolled).E002).toBeGreaterThan(0)
    const file = join(t.dataDir, 'roster.csv')
    await writeFile(file, 'id,name,badge,active\nE002,Alice Martin,10002,0\n')
    await handToKiosk(t.dataDir, 'roster import', { file })
    const found = recoverableTemplates(t.dataDir, enrolled)
    expect(found.E001).toBeGreaterThan(0)
    expect(found.E002).toBe(0)
  })
})
