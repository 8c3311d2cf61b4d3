/** `npm run crm:dev` starts a reference CRM a developer can point a kiosk at, seeded from CSV. */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCrmClient } from '../../electron/core/sync/crm-client'
import { employeesFromCsv } from './dev'
import { tempDir } from './fixtures'

let dir: { dir: string; cleanup(): Promise<void> }
const root = resolve(import.meta.dirname, '../..')

beforeAll(async () => {
  dir = await tempDir()
})
afterAll(() => dir.cleanup())

describe('crm:dev', () => {
  it('reads roster CSV with or without a header, badge, active and role optional', () => {
    const csv =
      'id,name,badge,active,role\nE001,Ada Lovelace,10001\nE002,"Bob, Jr.",,no\nE003,Cy,3,,supervisor\n'
    expect(employeesFromCsv(csv)).toEqual([
      { id: 'E001', name: 'Ada Lovelace', active: true, badges: ['10001'] },
      { id: 'E002', name: 'Bob, Jr.', active: false },
      { id: 'E003', name: 'Cy', active: true, badges: ['3'], role: 'supervisor' },
    ])
    expect(() => employeesFromCsv('E003,\n')).toThrow(/line 1/)
    expect(() => employeesFromCsv('E004,Di,4,yes,boss\n')).toThrow(/line 1: role/)
  })

  it('serves the contract on the port it prints, with the token and roster it was given', async () => {
    const roster = join(dir.dir, 'roster.csv')
    await writeFile(roster, 'E001,Ada Lovelace,10001\nE002,Bob Marley,10002,false\n')
    const args = ['test/crm/dev.ts', '--port', '0', '--data', join(dir.dir, 'data')]
    const child = spawn(
      join(root, 'node_modules/.bin/tsx'),
      [...args, '--token', 'T-1', '--roster', roster],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    try {
      let out = ''
      const url = await new Promise<string>((resolvePromise, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
          if (match && /device token: T-1/.test(out)) resolvePromise(match[1]!)
        })
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
        child.once('exit', (code) => reject(new Error(`crm:dev exited ${code}: ${out}`)))
      })
      expect(out).toContain('seeded 2 employees')
      const client = createCrmClient({ baseUrl: url, deviceToken: 'T-1', deviceId: 'dev-kiosk' })
      expect((await client.health()).status).toBe('ok')
      const page = await client.roster()
      expect(page.employees.map((e) => [e.id, e.active])).toEqual([
        ['E001', true],
        ['E002', false],
      ])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
