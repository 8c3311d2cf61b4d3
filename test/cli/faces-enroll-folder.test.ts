/**
 * `faces enroll-folder` on a folder of real HR-style photos (copied from ../shared/faces into a
 * temp folder): both layouts, every kind of bad photo and bad consent row, the stored templates
 * and consents, dry run, a second run, and a run killed half way.
 */
import { spawn } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { zonedToInstant } from '../../electron/core/attendance/zoned-time'
import { CsvEncodingError } from '../../electron/core/csv-encoding'
import { openKiosk, type Kiosk } from '../../electron/core/kiosk'
import { silentLogger } from '../../electron/core/logger'
import { importRoster } from '../../electron/core/roster/import'
import { ConsentFileError } from '../../electron/cli/faces/consent-file'
import {
  enrolFolder,
  facesEnrollFolder,
  folderExitCode,
} from '../../electron/cli/faces/enroll-folder'
import type { FolderOptions } from '../../electron/cli/faces/enroll-folder-report'
import { ownerOf } from '../../electron/cli/faces/photo-folder'
import { describeWithFaces, facesDir } from '../fixtures/faces'
import { openTestKiosk, testConfig, type TestKiosk } from '../fixtures/kiosk'

const roster = [
  'id,name,badge,active',
  'E001,张伟,10001,1',
  'E-002_A,Alice Martin,10002,1',
  'E003,Bob Stone,10003,0',
  'E004,李娜,10004,1',
  'E005,王芳,10005,1',
  'E006,刘洋,10006,1',
  'E007,陈静,10007,1',
  'E008,杨磊,10008,1',
  'E010,赵敏,10010,1',
  'E011,黄强,10011,1',
  'E012,周杰,10012,1',
  'E013,吴霞,10013,1',
].join('\n')

/** Photos as HR hands them over: sub-folders and id-prefixed files side by side. */
const layout: Record<string, string> = {
  'E001/a.jpg': 'enrolled/obama/obama.jpg',
  'E001/b.jpg': 'enrolled/obama/obama1.jpg',
  'E001/c.jpg': 'enrolled/obama/obama2.jpg',
  'E001/d.jpg': 'enrolled/obama/obama3.jpg',
  'E001/e.jpg': 'impostors/biden/biden.jpg',
  'E001/f.png': 'no-face/white.png',
  'E001/g.jpg': 'impostors/biden/biden2.jpg',
  'E001/notes.txt': 'README.md',
  'E-002_A_1.jpg': 'enrolled/deepface_A/img1.jpg',
  'E-002_A_2.jpg': 'enrolled/deepface_A/img10.jpg',
  'E-002_A_3.jpg': 'enrolled/deepface_A/img11.jpg',
  'E-002_A.jpg': 'enrolled/deepface_A/img2.jpg',
  'E003/1.jpg': 'enrolled/deepface_B/img26.jpg',
  'E004/1.jpg': 'enrolled/lfw_Colin_Powell/Colin_Powell_0001.jpg',
  'E006_1.jpg': 'enrolled/deepface_C/img47.jpg',
  'E007/1.jpg': 'groups/face_recognition__obama_and_biden.jpg',
  'E007/2.jpg': 'enrolled/lfw_Donald_Rumsfeld/Donald_Rumsfeld_0001.jpg',
  'E007/3.jpg': 'enrolled/lfw_Donald_Rumsfeld/Donald_Rumsfeld_0002.jpg',
  'E010/1.jpg': 'variants/obama/obama_small.jpg',
  'E010/2.jpg': 'variants/obama/obama-480p.jpg',
  'E010/3.jpg': 'enrolled/obama/obama3.jpg',
  'E999/1.jpg': 'enrolled/deepface_D/img3.jpg',
}

// The kiosk's clock stands at 2026-03-02 08:50 in Asia/Shanghai (openTestKiosk).
const consentRows = [
  'employee_id,name,date,method',
  'E001,张伟,2026-02-10,paper',
  'E-002_A,Alice Martin,2026/1/5,electronic',
  'E003,Bob Stone,2026-02-01,paper',
  'E005,王芳,2026-02-01,on_screen_signature',
  'E006,刘洋,2026-02-01,verbal',
  'E007,陈静,2026-02-01,paper',
  'E008,杨磊,2026-03-03,paper',
  'E010,赵敏,2026-02-01,paper',
  'E011,黄强,2024-02-01,paper',
  'E012,周杰,2026-02-01',
  'E013,吴霞,2026-02-01,paper',
  'E013,吴霞,2026-02-02,paper',
  'E998,无名,2026-02-01,paper',
]

async function copyPhotos(dir: string, files: Record<string, string>): Promise<void> {
  for (const [to, from] of Object.entries(files)) {
    await mkdir(dirname(join(dir, to)), { recursive: true })
    await copyFile(join(facesDir, from), join(dir, to))
  }
}

function stored(kiosk: Kiosk) {
  const templates = kiosk.store.all<{ employee_id: string; id: string }>(
    `SELECT employee_id, id FROM face_templates ORDER BY employee_id, id`,
  )
  const consents = kiosk.store.all<{
    employee_id: string
    signed_at: number
    method: string
    recorded_by: string
  }>(`SELECT employee_id, signed_at, method, recorded_by FROM face_consents ORDER BY employee_id`)
  return { templates, consents }
}

describeWithFaces('faces enroll-folder', () => {
  let root: string
  let photos: string
  let t: TestKiosk
  let dryRunStatus: Record<string, string> = {}
  const options = (extra: Partial<FolderOptions> = {}): FolderOptions => ({
    dir: photos,
    consentFile: join(photos, 'consents.csv'),
    dryRun: false,
    replace: false,
    ...extra,
  })
  const run = async (extra: Partial<FolderOptions> = {}) => {
    const lines: string[] = []
    const report = await enrolFolder(t.kiosk, options(extra), t.clock.now, (l) => lines.push(l))
    return { report, out: lines.join('\n'), status: statusOf(report) }
  }
  const statusOf = (r: Awaited<ReturnType<typeof enrolFolder>>) =>
    Object.fromEntries(r.people.map((p) => [p.employeeId, p.status]))

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'clockface-bulk-'))
    photos = join(root, 'hr-photos')
    await copyPhotos(photos, layout)
    // Excel's plain "CSV" on Chinese Windows: GBK, CRLF.
    await writeFile(join(photos, 'consents.csv'), iconv.encode(consentRows.join('\r\n'), 'gbk'))
    t = await openTestKiosk({ timeZone: 'Asia/Shanghai' })
    expect(t.importCsv(roster).rejected).toEqual([])
  }, 60_000)
  afterAll(async () => {
    await t?.cleanup()
    await rm(root, { recursive: true, force: true })
  })

  it('names the owner of a loose photo by the longest roster id its name starts with', () => {
    const ids = ['E-002', 'E-002_A', 'E1']
    expect(ownerOf('E-002_A_3', ids)).toBe('E-002_A')
    expect(ownerOf('E-002_A', ids)).toBe('E-002_A')
    expect(ownerOf('E-002_7', ids)).toBe('E-002')
    expect(ownerOf('E1 (2)', ids)).toBe('E1')
    expect(ownerOf('E10_1', ids)).toBe('E10')
    expect(ownerOf('X9', ids)).toBe('X9')
  })

  it('checks everything in a dry run and stores nothing', async () => {
    const { report, out, status } = await run({ dryRun: true })
    dryRunStatus = status
    expect(status).toEqual({
      'E-002_A': 'enrolled',
      E001: 'enrolled',
      E003: 'refused',
      E004: 'refused',
      E006: 'refused',
      E007: 'refused',
      E010: 'refused',
      E999: 'refused',
    })
    expect(out).toContain(
      'E001 张伟: would be enrolled with 4 templates (consent: paper, 2026-02-10',
    )
    expect(out).toContain('Dry run: nothing was stored.')
    expect(folderExitCode(report)).toBe(1)
    expect(stored(t.kiosk)).toEqual({ templates: [], consents: [] })
  }, 120_000)

  it('enrols everyone with consent and good photos, and says per person and photo why not', async () => {
    const { report, out, status } = await run()
    expect(status['E001']).toBe('enrolled')
    expect(status['E-002_A']).toBe('enrolled')
    expect(status).toEqual(dryRunStatus)
    expect(out).toContain('consents.csv: read as GB18030')
    // One line per refused consent row, by line number.
    expect(out).toContain('8 consent row(s) refused:')
    expect(out).toContain('  line 4: E003 is inactive in the roster')
    expect(out).toContain(
      '  line 6: method must be paper, electronic, on_screen_signature, got "verbal"',
    )
    expect(out).toContain('  line 8: date 2026-03-03 is in the future (today is 2026-03-02)')
    expect(out).toMatch(/ {2}line 10: consent of 2024-02-01 is older than faces\.retentionDays/)
    expect(out).toContain('  line 11: expected 4 fields as in the header, found 3')
    expect(out).toContain('  line 12: E013 has consent on lines 12, 13: keep one')
    expect(out).toContain('  line 13: E013 has consent on lines 12, 13: keep one')
    expect(out).toContain('  line 14: E998 is not in the roster')
    // Per photo: one verdict each, the reason for a refusal.
    expect(out).toContain(
      'E001 张伟: enrolled with 4 templates (consent: paper, 2026-02-10, line 2)',
    )
    // Two photos of someone else agree with each other, but not with most of E001's photos.
    expect(out).toContain('  E001/e.jpg: refused, does not look like the other photos')
    expect(out).toContain('  E001/g.jpg: refused, does not look like the other photos')
    expect(out).toContain('  E001/f.png: refused, no face found')
    expect(out).toContain('Not read: E001/notes.txt (not a photo')
    expect(out).toContain(
      'E-002_A Alice Martin: enrolled with 4 templates (consent: electronic, 2026-01-05',
    )
    expect(out).toMatch(/ {2}E007\/1\.jpg: refused, \d faces: use a photo of this person alone/)
    expect(out).toContain('E007 陈静: not enrolled, 2 good photo(s); at least 3 are needed')
    expect(out).toContain('  E010/3.jpg: refused, looks like E001, who is already enrolled')
    // Per person: no consent, a refused consent row, not in the roster, inactive.
    expect(out).toContain(
      'E004 李娜: not enrolled, no consent row in consents.csv (1 photo(s) not read)',
    )
    expect(out).toContain(
      'E006 刘洋: not enrolled, its consent row (line 6) was refused (1 photo(s) not read)',
    )
    expect(out).toContain('E999: not enrolled, not in the roster (1 photo(s) not read)')
    expect(out).toContain('E003 Bob Stone: not enrolled, inactive in the roster')
    expect(out).not.toMatch(/E00[346]\/?[^:]*\.jpg: /)
    expect(out).toContain('Consent but no photos: E005 (line 5)')
    expect(out).toContain(
      '8 people with photos: 2 enrolled, 0 already enrolled, 6 not enrolled; 8 consent row(s) refused.',
    )
    for (const file of ['E001/a.jpg', 'E001/e.jpg', 'E-002_A.jpg', 'E010/3.jpg']) {
      expect(out.split('\n').filter((l) => l.startsWith(`  ${file}: `))).toHaveLength(1)
    }
    expect(folderExitCode(report)).toBe(1)

    const { templates, consents } = stored(t.kiosk)
    expect(templates.filter((r) => r.employee_id === 'E001')).toHaveLength(4)
    expect(templates.filter((r) => r.employee_id === 'E-002_A')).toHaveLength(4)
    expect(templates).toHaveLength(8)
    const tz = t.kiosk.config.timeZone
    expect(consents).toEqual([
      {
        employee_id: 'E-002_A',
        signed_at: zonedToInstant('2026-01-05', '00:00', tz),
        method: 'electronic',
        recorded_by: 'cli',
      },
      {
        employee_id: 'E001',
        signed_at: zonedToInstant('2026-02-10', '00:00', tz),
        method: 'paper',
        recorded_by: 'cli',
      },
    ])
    // The kiosk recognises them from what was stored.
    await t.reopen()
    expect(t.kiosk.faces.person('E001').templates).toBe(4)
  }, 120_000)

  it('skips people already enrolled when run again, and re-enrols them with --replace', async () => {
    const before = stored(t.kiosk)
    const again = await run()
    expect(again.status['E001']).toBe('already-enrolled')
    expect(again.status['E-002_A']).toBe('already-enrolled')
    expect(again.out).toContain('E001 张伟: already enrolled (4 templates), skipped')
    expect(stored(t.kiosk)).toEqual(before)

    const replaced = await run({ replace: true })
    expect(replaced.status['E001']).toBe('enrolled')
    const after = stored(t.kiosk)
    expect(after.templates).toHaveLength(8)
    expect(after.templates.some((r) => before.templates.some((b) => b.id === r.id))).toBe(false)
    expect(after.consents.map((c) => c.signed_at)).toEqual(before.consents.map((c) => c.signed_at))
  }, 120_000)

  it('stops before any photo when the consent file cannot be read', async () => {
    const bad = async (name: string, bytes: string | Buffer) => {
      await writeFile(join(root, name), bytes)
      return run({ consentFile: join(root, name) })
    }
    await expect(bad('no-method.csv', 'employee_id,date\nE001,2026-02-01\n')).rejects.toThrow(
      ConsentFileError,
    )
    await expect(bad('open-quote.csv', 'employee_id,date,method\n"E001,2026')).rejects.toThrow(
      /line 2: a quoted field is never closed/,
    )
    await expect(bad('latin1.csv', Buffer.from([0x45, 0x30, 0xe9, 0x2c, 0x0a]))).rejects.toThrow(
      CsvEncodingError,
    )
    await expect(
      facesEnrollFolder([photos], () => Promise.reject(new Error('must not open the store'))),
    ).rejects.toThrow(/consent/)
  })

  it('leaves everyone fully enrolled or not at all when killed half way; a rerun finishes', async () => {
    const dir = join(root, 'killed')
    await copyPhotos(dir, {
      'E-002_A/1.jpg': 'enrolled/deepface_A/img1.jpg',
      'E-002_A/2.jpg': 'enrolled/deepface_A/img10.jpg',
      'E-002_A/3.jpg': 'enrolled/deepface_A/img11.jpg',
      'E001/1.jpg': 'enrolled/obama/obama.jpg',
      'E001/2.jpg': 'enrolled/obama/obama1.jpg',
      'E001/3.jpg': 'enrolled/obama/obama2.jpg',
      'E013/1.jpg': 'enrolled/lfw_Colin_Powell/Colin_Powell_0001.jpg',
      'E013/2.jpg': 'enrolled/lfw_Colin_Powell/Colin_Powell_0002.jpg',
      'E013/3.jpg': 'enrolled/lfw_Colin_Powell/Colin_Powell_0003.jpg',
    })
    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
    const consentFile = join(root, 'killed.csv')
    const ids = ['E-002_A', 'E001', 'E013']
    await writeFile(
      consentFile,
      ['employee_id,date,method', ...ids.map((id) => `${id},${lastMonth},paper`)].join('\n'),
    )
    const dataDir = join(root, 'killed-data')
    const config = testConfig({ timeZone: 'Asia/Shanghai' })
    const open = () =>
      openKiosk({ loaded: { config, dataDir, path: '(test)', fromFile: false }, log: silentLogger })
    let kiosk = await open()
    importRoster(kiosk.store, roster, Date.now())
    await kiosk.close()
    await writeFile(join(root, 'killed-config.json'), JSON.stringify({ timeZone: 'Asia/Shanghai' }))

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/cli/index.ts',
        'faces',
        'enroll-folder',
        dir,
        '--consent-file',
        consentFile,
      ],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          CLOCKFACE_CONFIG: join(root, 'killed-config.json'),
          CLOCKFACE_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      // Killed as soon as the first person is enrolled, while the next one's photos are read.
      if (/: enrolled with/.test(out)) child.kill('SIGKILL')
    })
    const signal = await new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, sig) => done(sig)),
    )
    expect(signal, out).toBe('SIGKILL')

    kiosk = await open()
    try {
      const { templates, consents } = stored(kiosk)
      const count = (id: string) => templates.filter((r) => r.employee_id === id).length
      for (const id of ids) {
        const consented = consents.some((c) => c.employee_id === id)
        expect([0, 3], id).toContain(count(id))
        expect(consented, id).toBe(count(id) === 3)
      }
      const first = ids.filter((id) => count(id) === 3)
      expect(first).toEqual(['E-002_A'])

      const lines: string[] = []
      const rerun = await enrolFolder(
        kiosk,
        { dir, consentFile, dryRun: false, replace: false },
        Date.now(),
        (l) => lines.push(l),
      )
      expect(rerun.people.map((p) => p.status)).toEqual([
        'already-enrolled',
        'enrolled',
        'enrolled',
      ])
      expect(folderExitCode(rerun)).toBe(0)
      expect(ids.map((id) => kiosk.faces.data.status(id).templates)).toEqual([3, 3, 3])
    } finally {
      await kiosk.close()
    }
  }, 180_000)
})
