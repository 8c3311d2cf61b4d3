/**
 * The boundary check that `npm test` runs on the tree (`npm run boundaries`: dependency-cruiser
 * with .dependency-cruiser.cjs) is not vacuous: a tree with each forbidden import is caught.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const config = join(root, '.dependency-cruiser.cjs')
const depcruise = join(root, 'node_modules', '.bin', 'depcruise')

function cruise(cwd: string, ...paths: string[]) {
  const res = spawnSync(depcruise, [...paths, '--config', config, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  })
  return { code: res.status, out: `${res.stdout}${res.stderr}` }
}

describe('process boundaries', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'clockface-boundaries-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(join(scratch, 'tree-'))
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    return dir
  }

  it('catches a cycle and every forbidden import across the process split', () => {
    const dir = tree({
      'electron/core/a.ts': "import { b } from './b'\nexport const a = () => b\n",
      'electron/core/b.ts': "import { a } from './a'\nexport const b = () => a\n",
      'electron/core/kiosk.ts': 'export interface KioskPlatform { now(): number }\n',
      'electron/core/attendance/attendance.ts':
        "import type { KioskPlatform } from '../kiosk'\nexport type P = KioskPlatform\n",
      'electron/core/roster/roster.ts': 'export const roster = 1\n',
      'renderer/src/stores/roster.ts':
        "import { roster } from '../../../electron/core/roster/roster'\nexport const r = roster\n",
      'renderer/src/disk.ts':
        "import { readFileSync } from 'node:fs'\nexport const f = readFileSync\n",
      'electron/shared/paths.ts': "import { join } from 'node:path'\nexport const j = join\n",
      'electron/core/window.ts': "import { w } from '../main/window'\nexport const y = w\n",
      'electron/main/window.ts': 'export const w = 1\n',
      'electron/core/shell.ts':
        "import { app } from 'electron'\nexport const quit = () => app.quit()\n",
      'electron/preload/index.ts':
        "import { roster } from '../core/roster/roster'\nexport const s = roster\n",
    })
    const res = cruise(dir, 'electron', 'renderer')
    expect(res.code).not.toBe(0)
    expect(res.out).toContain('error core-without-electron: electron/core/shell.ts')
    for (const rule of [
      'no-cycles',
      'core-never-imports-its-root',
      'renderer-knows-only-the-contract',
      'renderer-no-node-or-electron',
      'shared-no-node',
      'core-without-electron',
      'preload-only-the-contract',
    ]) {
      expect(res.out, rule).toContain(`error ${rule}:`)
    }
  })
})
