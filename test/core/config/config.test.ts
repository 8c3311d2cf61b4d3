import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseConfig } from '../../../electron/core/config/config'
import { defaultConfigPath, defaultDataDir } from '../../../electron/core/config/paths'
import { hashPin } from '../../../electron/core/roster/pin'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-config-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('config', () => {
  it('runs with no file at all, on defaults', () => {
    const loaded = loadConfig({ HOME: dir, XDG_DATA_HOME: join(dir, 'data') })
    expect(loaded.fromFile).toBe(false)
    expect(loaded.config.attendance.lateGraceMinutes).toBe(15)
    expect(loaded.config.attendance.duplicateWindowSeconds).toBe(120)
    expect(loaded.config.crm.url).toBeNull()
    expect(loaded.dataDir).toBe(join(dir, 'data', 'clockface'))
  })

  it('reads CLOCKFACE_CONFIG and lets CLOCKFACE_DATA_DIR win over dataDir', async () => {
    const file = join(dir, 'config.json')
    await writeFile(
      file,
      JSON.stringify({
        site: { id: 'sh-01', name: '上海办公室' },
        timeZone: 'Asia/Shanghai',
        language: 'zh-CN',
        attendance: { lateGraceMinutes: 5 },
        adminPinHash: hashPin('2468'),
        crm: { url: 'https://crm.example.com/', deviceToken: 'device-token-123' },
        dataDir: join(dir, 'ignored'),
      }),
    )
    const loaded = loadConfig({ CLOCKFACE_CONFIG: file, CLOCKFACE_DATA_DIR: join(dir, 'd') })
    expect(loaded.config.site.name).toBe('上海办公室')
    expect(loaded.config.attendance).toMatchObject({ lateGraceMinutes: 5, earlyGraceMinutes: 15 })
    expect(loaded.config.crm.url).toBe('https://crm.example.com')
    expect(loaded.dataDir).toBe(join(dir, 'd'))
  })

  it.each([
    [{ timeZone: 'Mars/Olympus' }, /"timeZone" must be an IANA time zone/],
    [{ language: 'fr' }, /"language" must be "zh-CN" or "en", got "fr"/],
    [
      { attendance: { lateGraceMinutes: 'soon' } },
      /"attendance.lateGraceMinutes" must be a whole number from 0 to 240, got "soon"/,
    ],
    [{ attendance: { duplicateWindowSeconds: -1 } }, /"attendance.duplicateWindowSeconds"/],
    [{ adminPinHash: '1234' }, /"adminPinHash" must be a hash made by/],
    [{ crm: { url: 'ftp://x' } }, /"crm.url" must be an http\(s\) URL/],
    [{ sitee: {} }, /unknown key "sitee"/],
    [{ site: 'hq' }, /"site" must be an object/],
    [{ badge: { minLength: 10, maxLength: 5 } }, /"badge.minLength" must not be greater/],
  ])('refuses %j naming the key', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError)
    expect(() => parseConfig(raw)).toThrow(message)
  })

  it('names the file when it is not JSON, or when CLOCKFACE_CONFIG points nowhere', async () => {
    const file = join(dir, 'config.json')
    await writeFile(file, '{ "site": ')
    expect(() => loadConfig({ CLOCKFACE_CONFIG: file })).toThrow(/is not valid JSON/)
    expect(() => loadConfig({ CLOCKFACE_CONFIG: join(dir, 'missing.json') })).toThrow(/cannot read/)
  })

  it('knows the per-OS machine-wide locations', () => {
    expect(defaultConfigPath({ ProgramData: 'D:\\PD' }, 'win32')).toContain('Clockface')
    expect(defaultConfigPath({}, 'linux')).toBe('/etc/clockface/config.json')
    expect(defaultDataDir({ HOME: '/home/k' }, 'linux')).toBe('/home/k/.local/share/clockface')
  })
})
