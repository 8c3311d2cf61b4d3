/**
 * An enrolment acknowledged to the admin survives kill -9: its key is on disk before its
 * templates commit. A kill at any moment leaves every acknowledged enrolment readable and no
 * key that nothing uses once the kiosk has started again.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openKiosk, type Kiosk } from '../../../electron/core/kiosk'
import { silentLogger } from '../../../electron/core/logger'
import { face } from '../../fixtures/descriptors'
import { call, testConfig } from '../../fixtures/kiosk'

const WRITER = resolve(import.meta.dirname, 'enrol-writer.ts')

/** Runs the writer until it has acknowledged `after` more enrolments, then kills it hard. */
function enrolUntilKilled(dataDir: string, after: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let last = 0
    let seen = 0
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        last = Number(line.split(' ')[1])
        if (++seen >= after) child.kill('SIGKILL')
      }
    })
    child.on('error', fail)
    child.on('exit', () => done(last))
  })
}

/** Who the kiosk identifies by two frames of person `seed`, if anyone. */
async function whoIs(kiosk: Kiosk, seed: number): Promise<string | null> {
  const descriptor = [...face(seed, 0.1)]
  await call(kiosk, 'identifyFace', { descriptor, liveness: 'passed' })
  const outcome = await call(kiosk, 'identifyFace', { descriptor, liveness: 'passed' })
  return outcome.status === 'recorded' ? outcome.punch.employeeId : null
}

describe('enrolment under kill -9', () => {
  it('keeps every acknowledged enrolment, and no key nothing uses', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clockface-enrol-crash-'))
    try {
      for (const [round, after] of [2, 3, 5].entries()) {
        const acknowledged = await enrolUntilKilled(dataDir, after)
        const kiosk = await openKiosk({
          loaded: {
            config: testConfig({ faces: { liveness: 'off' } }),
            dataDir,
            path: '(test)',
            fromFile: false,
          },
          // Each round a day later, so no earlier round's punch makes this one a repeat.
          platform: { now: () => Date.now() + (round + 1) * 86_400_000 },
          startSync: false,
          log: silentLogger,
        })
        try {
          expect(await whoIs(kiosk, 1)).toBe('E001')
          // The acknowledged one, or the next if it committed just before the kill.
          const latest =
            (await whoIs(kiosk, acknowledged)) ?? (await whoIs(kiosk, acknowledged + 1))
          expect(latest).toBe('E002')
          const keyring = JSON.parse(readFileSync(join(dataDir, 'face-keys.json'), 'utf8')) as {
            dataKeys: { employeeId: string }[]
          }
          expect(keyring.dataKeys.map((k) => k.employeeId).sort()).toEqual(['E001', 'E002'])
        } finally {
          await kiosk.close()
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
