/**
 * `faces enroll` as IT runs it: consent first, every photo judged and reported, at least three
 * good ones, and never someone else's face under a new name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { sampleRosterCsv } from '../fixtures/kiosk'
import { runCli } from '../fixtures/cli'
import { describeWithFaces, facesDir } from '../fixtures/faces'

const photo = (relative: string) => join(facesDir, relative)

describeWithFaces('faces enroll', () => {
  let dir: string
  let env: NodeJS.ProcessEnv

  const cli = (...args: string[]) => runCli(env, ...args)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clockface-faces-'))
    await writeFile(join(dir, 'config.json'), JSON.stringify({ timeZone: 'Europe/Berlin' }))
    await writeFile(join(dir, 'roster.csv'), sampleRosterCsv)
    env = {
      ...process.env,
      CLOCKFACE_CONFIG: join(dir, 'config.json'),
      CLOCKFACE_DATA_DIR: join(dir, 'data'),
    }
    expect(cli('roster', 'import', join(dir, 'roster.csv')).code).toBe(0)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('refuses without recorded consent', () => {
    const res = cli('faces', 'enroll', 'E002', photo('enrolled/obama/obama.jpg'))
    expect(res.code).toBe(2)
    expect(res.err).toContain('consent')
  })

  it('enrols from the good photos and gives each photo one verdict, with the reason for a refusal', () => {
    const res = cli(
      'faces',
      'enroll',
      'E002',
      photo('enrolled/obama/obama.jpg'),
      photo('enrolled/obama/obama1.jpg'),
      photo('enrolled/obama/obama2.jpg'),
      photo('no-face/white.png'),
      photo('groups/face_recognition__obama_and_biden.jpg'),
      photo('impostors/biden/biden.jpg'),
      '--consent',
      '--consent-method',
      'electronic',
    )
    for (const file of ['obama.jpg', 'obama1.jpg', 'obama2.jpg', 'white.png', 'biden.jpg']) {
      const verdicts = res.out.split('\n').filter((l) => l.includes(`/${file}: `))
      expect(verdicts, `one verdict for ${file}`).toHaveLength(1)
    }
    expect(res.out).toContain('biden.jpg: refused, does not look like the other photos')
    expect(res.out).toContain('white.png: refused, no face found')
    expect(res.out).toMatch(
      /obama_and_biden\.jpg: refused, \d faces: use a photo of this person alone/,
    )
    expect(res.out.match(/: accepted/g)).toHaveLength(3)
    expect(res.out).toContain('Enrolled E002 with 3 templates (consent: electronic).')
    expect(res.code).toBe(0)
  }, 60_000)

  it('needs three good photos', () => {
    const few = cli(
      'faces',
      'enroll',
      'E001',
      photo('no-face/white.png'),
      photo('enrolled/deepface_A/img1.jpg'),
      '--consent',
    )
    expect(few.out).toContain('Not enrolled: 1 good photo(s); at least 3 are needed.')
    expect(few.code).toBe(1)
  }, 60_000)

  it('will not enrol a face already enrolled under another name', () => {
    const clash = cli(
      'faces',
      'enroll',
      'E001',
      photo('enrolled/obama/obama3.jpg'),
      photo('variants/obama/obama_small.jpg'),
      photo('variants/obama/obama-480p.jpg'),
      '--consent',
    )
    expect(clash.out).toContain('obama3.jpg: refused, looks like E002, who is already enrolled')
    expect(clash.out).toContain('Not enrolled:')
    expect(clash.code).toBe(1)
  }, 60_000)
})
