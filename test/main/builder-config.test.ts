/**
 * Installers cannot be built here (electron-builder downloads Electron), so electron-builder.yml
 * is checked offline: against electron-builder's own JSON schema, with the same validator it
 * uses, and for the settings that keep the installer safe.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import Ajv from 'ajv'
import { minimatch } from 'minimatch'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
// js-yaml ships no types; electron-builder reads its YAML config with this same parser.
const yaml = require('js-yaml') as { load(text: string): unknown }
const schema = JSON.parse(
  readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
) as object

type Config = Record<string, unknown> & {
  files: string[]
  asarUnpack: string[]
  nsis: Record<string, unknown>
}

const config = yaml.load(readFileSync(resolve('electron-builder.yml'), 'utf8')) as Config

// Like electron-builder's own validator (ajv, all errors, non-strict) minus type coercion, so
// anything accepted here is accepted there.
const check = new Ajv({ allErrors: true, strict: false }).compile(schema)

function validate(candidate: unknown): string[] {
  if (check(candidate)) return []
  return (check.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`)
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's own configuration schema", () => {
    expect(validate(config)).toEqual([])
  })

  it('would catch a misspelt option (the schema check is real)', () => {
    const misspelt = { ...config, nsis: { ...config.nsis, perMachin: true } }
    expect(validate(misspelt).join('\n')).toMatch(/nsis/)
  })

  it('names the product and publishes nowhere', () => {
    expect(config).toMatchObject({ appId: 'com.clockface.kiosk', productName: 'Clockface' })
    expect(config.publish).toBeNull()
  })

  it('packs only the built app, never sources, tests or face photos', () => {
    const included = config.files.filter((pattern) => !pattern.startsWith('!'))
    expect(included.sort()).toEqual(['out/**', 'package.json'])
    expect(config.files).toEqual(expect.arrayContaining(['!**/faces/**', '!**/test/**']))
    for (const key of ['files', 'extraResources', 'extraFiles', 'asarUnpack']) {
      const entries = ([] as unknown[]).concat(config[key] ?? [])
      const copied = entries.filter((entry) => !String(entry).startsWith('!'))
      expect(JSON.stringify(copied)).not.toMatch(/\.\.|shared|faces|\.(jpe?g|webp|heic)\b/i)
    }
  })

  it('unpacks the snapshot worker and everything it loads', () => {
    const unpacked = (path: string) => config.asarUnpack.some((glob) => minimatch(path, glob))
    // electron-vite emits the 'snapshot-worker' entry beside index.js, sharing chunks with it.
    const viteConfig = readFileSync(resolve('electron.vite.config.ts'), 'utf8')
    expect(viteConfig).toMatch(/'snapshot-worker':/)
    expect(viteConfig).toMatch(/outDir: 'out\/main'/)
    expect(unpacked('out/main/snapshot-worker.js')).toBe(true)
    expect(unpacked('out/main/chunks/store-files-a1b2c3.js')).toBe(true)
    // From app.asar.unpacked/out/main the worker resolves sql.js in app.asar.unpacked/node_modules.
    const sqlJs = require.resolve('sql.js')
    const fromRoot = (path: string) => relative(process.cwd(), path).split(sep).join('/')
    for (const needed of [
      'node_modules/sql.js/package.json',
      fromRoot(sqlJs),
      fromRoot(join(dirname(sqlJs), 'sql-wasm.wasm')),
    ]) {
      expect(unpacked(needed), needed).toBe(true)
    }
    expect(unpacked('out/renderer/index.html')).toBe(false)
  })

  it('installs per machine on Windows, never launching the app as the installer', () => {
    expect(config.nsis).toMatchObject({
      perMachine: true,
      allowToChangeInstallationDirectory: true,
      runAfterFinish: false,
      deleteAppDataOnUninstall: false,
    })
  })

  it('ships a binary that cannot be run as Node, debugged or pointed at other code', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    })
  })

  it('packs the app into an archive whose integrity the binary checks', () => {
    // Integrity is of app.asar, whose hash electron-builder embeds in the binary: without the
    // archive or the hash, the fused binary would refuse to start at all.
    expect(config.asar ?? true).toBe(true)
    expect(config.disableAsarIntegrity ?? false).toBe(false)
    const fuses = (schema as { definitions: Record<string, { properties: object }> }).definitions
    expect(Object.keys(fuses.FuseOptionsV1!.properties)).toEqual(
      expect.arrayContaining(Object.keys(config.electronFuses as object)),
    )
  })

  it('builds an installer for each desktop OS', () => {
    expect(JSON.stringify(config.win)).toContain('nsis')
    expect(config.linux).toMatchObject({ target: expect.arrayContaining(['AppImage', 'deb']) })
    expect(config.mac).toMatchObject({ target: expect.arrayContaining(['dmg']) })
  })
})
