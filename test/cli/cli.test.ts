import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseCsv } from '../../electron/core/csv'
import { openKiosk } from '../../electron/core/kiosk'
import { loadConfig } from '../../electron/core/config/config'
import { silentLogger } from '../../electron/core/logger'
import { verifyPin } from '../../electron/core/roster/pin'
import { Roster } from '../../electron/core/roster/roster'
import { sampleRosterCsv } from '../fixtures/kiosk'
import { runCli } from '../fixtures/cli'

let dir: string
let env: NodeJS.ProcessEnv

const cli = (...args: string[]) => runCli(env, ...args)

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-cli-'))
  const config = join(dir, 'config.json')
  await writeFile(
    config,
    JSON.stringify({ timeZone: 'Asia/Shanghai', site: { id: 'hq', name: 'HQ' } }),
  )
  env = { ...process.env, CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: join(dir, 'data') }
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('cli', () => {
  it('imports a roster, reporting bad rows by line, and updates on re-import', async () => {
    const csv = join(dir, 'roster.csv')
    await writeFile(csv, `${sampleRosterCsv}\nE009,Bad Pin,10009,12ab,1,,\n`)
    const first = cli('roster', 'import', csv)
    expect(first.out).toContain('Imported 3 employees (3 new, 0 updated)')
    expect(first.out).toContain('line 5: pin must be 4 to 8 digits')
    expect(first.code).toBe(1)
    await writeFile(csv, sampleRosterCsv)
    const again = cli('roster', 'import', csv)
    expect(again).toMatchObject({ code: 0 })
    expect(again.out).toContain('(0 new, 3 updated)')
    const status = cli('status').out
    expect(status).toMatch(/employees:\s+2 active, 1 inactive/)
    expect(status).toMatch(/roster:\s+local \(CSV import, no CRM\)/)
  }, 60_000)

  it('exports punches to CSV, with a date range', async () => {
    const csv = join(dir, 'roster.csv')
    await writeFile(csv, sampleRosterCsv)
    cli('roster', 'import', csv)
    const kiosk = await openKiosk({ loaded: loadConfig(env), log: silentLogger })
    await kiosk.gate('attendance:badge', { badge: '10001' })
    await kiosk.close()
    const out = join(dir, 'punches.csv')
    expect(cli('punches', 'export', out).out).toContain('Wrote 1 punch to')
    const rows = parseCsv(await readFile(out, 'utf8'))
    expect(rows[1]!.fields.slice(1, 4)).toEqual(['E001', '张伟', 'in'])
    expect(
      cli('punches', 'export', out, '--from', '2000-01-01', '--to', '2000-01-02').out,
    ).toContain('Wrote 0 punches')
    const bad = cli('punches', 'export', out, '--from', '2026-13-01')
    expect(bad).toMatchObject({ code: 2 })
    expect(bad.err).toContain('--from must be a date as YYYY-MM-DD')
  }, 60_000)

  it('hashes an admin PIN for the config file', async () => {
    const res = cli('pin', 'hash', '2468')
    expect(res.code).toBe(0)
    expect(await verifyPin('2468', res.out.trim())).toBe(true)
    expect(cli('pin', 'hash', '12').err).toContain('a PIN is 4 to 8 digits')
  })

  it('explains a bad config by key, and a busy data folder, without a stack trace', async () => {
    await writeFile(env.CLOCKFACE_CONFIG!, JSON.stringify({ language: 'fr' }))
    const res = cli('status')
    expect(res.code).toBe(2)
    expect(res.err).toContain('"language" must be "zh-CN" or "en", got "fr"')
    expect(res.err).not.toContain('    at ')

    await writeFile(env.CLOCKFACE_CONFIG!, '{}')
    const kiosk = await openKiosk({ loaded: loadConfig(env), log: silentLogger })
    try {
      const busy = cli('status')
      expect(busy.code).toBe(2)
      expect(busy.err).toContain('is in use by another Clockface process')
    } finally {
      await kiosk.close()
    }
    expect(cli('status').code).toBe(0)
  }, 60_000)

  it('refuses a roster file that is not a roster', async () => {
    const csv = join(dir, 'x.csv')
    await writeFile(csv, 'name,email\nA,a@x')
    const res = cli('roster', 'import', csv)
    expect(res.code).toBe(2)
    expect(res.err).toContain('lacks id, badge')
    expect(cli('roster', 'import', join(dir, 'missing.csv')).err).toContain('cannot read')
  })

  it('reads a GBK roster from Excel on Chinese Windows right, and refuses one it cannot tell', async () => {
    const names = async () => {
      const kiosk = await openKiosk({ loaded: loadConfig(env), log: silentLogger })
      try {
        const roster = new Roster(kiosk.store)
        return ['E001', 'E002', 'E003', 'E004', 'E005'].map((id) => roster.byId(id)?.name)
      } finally {
        await kiosk.close()
      }
    }
    const rows = [
      'id,name,badge',
      'E001,张伟,10001',
      'E002,李小红,10002',
      'E003,王芳,10003',
      'E004,Alice Martin,10004',
      'E005,欧阳明,10005',
    ]
    const good = join(dir, 'good.csv')
    await writeFile(good, rows.join('\r\n'))
    expect(cli('roster', 'import', good).code).toBe(0)
    const gbk = join(dir, 'gbk.csv')
    await writeFile(gbk, iconv.encode(rows.join('\r\n'), 'gbk'))
    const res = cli('roster', 'import', gbk)
    expect(await names()).toEqual(['张伟', '李小红', '王芳', 'Alice Martin', '欧阳明'])
    expect(res.out).toContain('(0 new, 5 updated)')
    expect(res.out).toContain('read as GB18030')
    expect(res.code).toBe(0)

    const latin = join(dir, 'latin.csv')
    const accented = 'id,name,badge\r\nE001,Hélène Dubois,10001\r\nE002,José Müller,10002\r\n'
    await writeFile(latin, iconv.encode(accented, 'windows-1252'))
    const refused = cli('roster', 'import', latin)
    expect(refused.code).toBe(2)
    expect(refused.err).toContain(`${latin} is not UTF-8`)
    expect(refused.err).toContain('CSV UTF-8')
    expect(refused.err).not.toContain('    at ')
    expect(await names()).toEqual(['张伟', '李小红', '王芳', 'Alice Martin', '欧阳明'])
    const named = cli('roster', 'import', latin, '--encoding', 'windows-1252')
    expect(named).toMatchObject({ code: 0 })
    expect((await names()).slice(0, 2)).toEqual(['Hélène Dubois', 'José Müller'])
  }, 90_000)
})
