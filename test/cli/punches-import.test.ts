/** `npm run cli -- punches import` with the kiosk stopped: the CLI opens the folder itself. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../fixtures/cli'
import { sampleRosterCsv } from '../fixtures/kiosk'

let dir: string
let env: NodeJS.ProcessEnv

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-cli-punches-'))
  const config = join(dir, 'config.json')
  await writeFile(
    config,
    JSON.stringify({ timeZone: 'Europe/Berlin', site: { id: 'hq', name: 'HQ' } }),
  )
  env = { CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: join(dir, 'data') }
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('cli punches import', () => {
  it('imports the good rows, lists the bad ones by line, and explains its options', async () => {
    await writeFile(join(dir, 'roster.csv'), sampleRosterCsv)
    expect(runCli(env, 'roster', 'import', join(dir, 'roster.csv')).code).toBe(0)
    const file = join(dir, 'old.csv')
    await writeFile(
      file,
      [
        'employee_id,type,occurred_at,method,local_date',
        'E001,in,2025-10-26T08:58:00+01:00,badge,1999-01-01',
        'E001,in,2025-10-26 08:58,badge,',
      ].join('\n'),
    )
    const res = runCli(env, 'punches', 'import', file)
    expect(res.out).toBe(
      'Imported 1 punch (0 already stored).\nThey are queued for upload.\n1 row(s) not imported:\n' +
        '  line 3: occurred_at must be an RFC 3339 time like 2026-03-02T09:00:00+08:00, got "2025-10-26 08:58"\n',
    )
    expect(res.code).toBe(1)
    const usage = runCli(env, 'punches', 'import', file, '--upload-later')
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('unknown option --upload-later')
    expect(usage.err).toContain('usage: punches import FILE.csv [--encoding NAME] [--no-upload]')
  }, 60_000)
})
