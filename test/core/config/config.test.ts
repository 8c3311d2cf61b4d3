import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ConfigError,
  defaultConfig,
  loadConfig,
  parseConfig,
  withSecretsHidden,
} from '../../../electron/core/config/config'
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
    [{ crm: { url: 'ftp://x' } }, /"crm.url" must be an https URL/],
    [{ sitee: {} }, /unknown key "sitee"/],
    [{ site: 'hq' }, /"site" must be an object/],
    [{ badge: { minLength: 10, maxLength: 5 } }, /"badge.minLength" must not be greater/],
  ])('refuses %j naming the key', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError)
    expect(() => parseConfig(raw)).toThrow(message)
  })

  it.each([
    'http://crm.example.com',
    'http://10.0.0.5:8080',
    'http://127.0.0.1.example.com',
    'http://localhost.example.com',
    'http://[::ffff:10.0.0.1]',
    'https://user:pass@crm.example.com',
    'https://token@crm.example.com',
    'http://kiosk:pw@127.0.0.1:8787',
  ])('refuses the CRM URL %s: plain http leaves the machine, or credentials in it', (url) => {
    const raw = { crm: { url, deviceToken: 'device-token-123' } }
    expect(() => parseConfig(raw)).toThrow(/"crm.url" must be an https URL/)
    expect(() => parseConfig(raw)).not.toThrow(/:pass@|:pw@|token@/)
  })

  it.each([
    ['https://crm.example.com/api/', 'https://crm.example.com/api'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://127.8.9.10', 'http://127.8.9.10'],
    ['http://localhost:8787/', 'http://localhost:8787'],
    ['http://LOCALHOST:8787', 'http://localhost:8787'],
    ['http://[::1]:8787', 'http://[::1]:8787'],
  ])('accepts the CRM URL %s (https, or http to this machine)', (url, kept) => {
    const config = parseConfig({ crm: { url, deviceToken: 'device-token-123' } })
    expect(config.crm.url).toBe(kept)
  })

  it.each([
    [{ adminPinHash: '4321' }, '4321', /"adminPinHash" must be a hash made by/],
    [{ adminPinHash: 4321 }, '4321', /"adminPinHash"/],
    [{ crm: { url: 'https://crm.example.com', deviceToken: 'sh0rt' } }, 'sh0rt', /deviceToken/],
    [{ crm: { url: 'https://crm.example.com', deviceToken: 98765432 } }, '98765432', /Token/],
    [{ crm: { url: 'https://crm.example.com', deviceToken: ['tok-en-secret'] } }, 'tok-en', /Tok/],
    [{ crm: 'tok-en-secret-in-place-of-section' }, 'tok-en', /"crm" must be an object/],
  ])('never echoes the value of a secret key: %j', (raw, secret, message) => {
    expect(() => parseConfig(raw)).toThrow(message)
    expect(() => parseConfig(raw)).not.toThrow(secret)
  })

  it('never echoes a secret from a file that is not valid JSON', async () => {
    const file = join(dir, 'config.json')
    await writeFile(
      file,
      '{ "crm": { "url": "https://crm.example.com", "deviceToken": s3cretT0ken } }',
    )
    expect(() => loadConfig({ CLOCKFACE_CONFIG: file })).toThrow(/is not valid JSON/)
    expect(() => loadConfig({ CLOCKFACE_CONFIG: file })).not.toThrow(/s3cret/)
  })

  it('hides every secret when showing the config in force', () => {
    const config = parseConfig({
      adminPinHash: hashPin('2468'),
      crm: { url: 'https://crm.example.com', deviceToken: 'device-token-123' },
    })
    const shown = JSON.stringify(withSecretsHidden(config))
    expect(shown).not.toContain('device-token-123')
    expect(shown).not.toContain(config.adminPinHash!)
    expect(shown).toContain('https://crm.example.com')
    expect(withSecretsHidden(defaultConfig())).toMatchObject({
      adminPinHash: null,
      crm: { deviceToken: null },
    })
  })

  it.each([
    [
      { crm: { kind: 'odoo', url: 'https://hr.example.com' } },
      /"crm.kind" "odoo" needs "crm.odoo.apiKey"/,
    ],
    [
      { crm: { kind: 'odoo', odoo: { apiKey: 'odoo-key-123' } } },
      /"crm.kind" "odoo" needs "crm.url"/,
    ],
    [
      {
        crm: {
          kind: 'odoo',
          url: 'https://hr.example.com',
          odoo: { apiKey: 'k-12345678', protocol: 'xmlrpc' },
        },
      },
      /over XML-RPC needs "crm.odoo.database"/,
    ],
    [
      { crm: { kind: 'frappe', url: 'https://hr.example.com', frappe: { apiKey: 'a' } } },
      /needs "crm.frappe.apiSecret"/,
    ],
    [{ crm: { kind: 'dingtalk' } }, /"crm.kind" "dingtalk" needs "crm.dingtalk.appKey"/],
    [{ crm: { kind: 'workday' } }, /"crm.kind" must be "clockface", .*"feishu", got "workday"/],
    [
      { crm: { kind: 'wecom', wecom: { corpSecret: 'x', colour: 1 } } },
      /unknown key "crm.wecom.colour"/,
    ],
  ])('checks each kind of HR system for its own keys: %j', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message)
  })

  it('hides the secrets of every kind of HR system', () => {
    const config = parseConfig({
      crm: {
        kind: 'odoo',
        url: 'https://hr.example.com',
        odoo: { apiKey: 'odoo-api-key-123' },
        feishu: { appId: 'cli_1', appSecret: 'feishu-secret-9' },
      },
    })
    const shown = JSON.stringify(withSecretsHidden(config))
    expect(shown).not.toContain('odoo-api-key-123')
    expect(shown).not.toContain('feishu-secret-9')
    expect(shown).toContain('cli_1')
  })

  it.each([
    '{"constructor": 1}',
    '{"toString": "x"}',
    '{"hasOwnProperty": {}}',
    '{"__proto__": {"language": "zh-CN"}}',
    '{"site": {"constructor": {}}}',
    '{"crm": {"valueOf": 1}}',
    '{"attendance": {"__proto__": {"lateGraceMinutes": 1}}}',
  ])('refuses an inherited name as an unknown key: %s', (text) => {
    expect(() => parseConfig(JSON.parse(text))).toThrow(
      /unknown key "[\w.]*(constructor|toString|hasOwnProperty|__proto__|valueOf)"/,
    )
  })

  it('keeps the shape of the defaults whatever the file said', () => {
    const config = parseConfig(JSON.parse('{"site": {"name": "HQ"}}'))
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype)
    expect(config.site).toEqual({ id: 'default', name: 'HQ' })
    expect(defaultConfig()).toEqual(parseConfig({}))
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
