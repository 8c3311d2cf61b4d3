/**
 * Faces at the kiosk, end to end: real Chromium with a fake camera playing real photos and
 * video of real people (../shared/faces), the real browser host, and people enrolled through
 * the CLI or through the admin screen. Nothing here is synthetic: detection, descriptors,
 * matching, agreement, liveness and punches all run for real.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { hashPin } from '../../electron/core/roster/pin'
import type { FaceMode, LivenessMode } from '../../electron/shared/types'
import {
  face,
  facesAvailable,
  launchWithCamera,
  photoCamera,
  queueCamera,
  swungPhotoCamera,
  videoCamera,
  videoFrames,
} from './camera'
import { runCli } from '../fixtures/cli'
import { scanBadge, startHost, type RunningHost } from './host'

test.describe.configure({ mode: 'serial' })
test.skip(!facesAvailable(), 'the face fixtures (../shared/faces) are not there')
test.setTimeout(120_000)

let dir: string
let cameras: string
let env: NodeJS.ProcessEnv
let host: RunningHost | undefined
let browser: Browser | undefined
/** Console errors and uncaught exceptions (CSP refusals among them) of the latest kiosk page. */
let pageProblems: string[] = []

const hamilton = () => face('video/short_hamilton_clip.mp4')
// Seconds of the clip's mid shot of Lin-Manuel Miranda, spread over it: in that small, moving
// face the descriptors of one person lie 0.3–0.55 apart, so one still would not cover the clip.
const hamiltonStills = [3.9, 4.1, 4.27, 5.5, 5.8, 6.4, 6.7, 7.0]

interface KioskOptions {
  mode?: FaceMode
  camera?: string
  greetingSeconds?: number
  /** Defaults to 120 in face mode and 0 in face-and-badge mode. */
  duplicateWindowSeconds?: number
}

async function configure(liveness: LivenessMode, options: KioskOptions = {}): Promise<void> {
  const mode = options.mode ?? 'face'
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      site: { id: 'e2e-faces', name: 'Front Door' },
      timeZone: 'Europe/London',
      language: 'en',
      adminPinHash: hashPin('2468'),
      greetingSeconds: options.greetingSeconds ?? 5,
      // Face-and-badge walks up to people greeted minutes ago: no duplicate window then.
      attendance: {
        duplicateWindowSeconds: options.duplicateWindowSeconds ?? (mode === 'face' ? 120 : 0),
      },
      // Playwright types through the busy page one key per round trip, slower than a reader.
      badge: { maxKeyIntervalMs: 150 },
      faces: { enabled: true, liveness, mode, camera: options.camera ?? null },
    }),
  )
}

async function restartHost(liveness: LivenessMode, options: KioskOptions = {}): Promise<void> {
  await host?.stop()
  await configure(liveness, options)
  host = await startHost(env)
}

/** The kiosk in a Chromium whose camera plays `y4m`; the face engine is up and the camera on. */
async function kioskWithCamera(y4m: string): Promise<Page> {
  const page = await openKiosk(y4m)
  await expect(page.getByTestId('face-camera')).toHaveAttribute('data-state', 'ready', {
    timeout: 30_000,
  })
  return page
}

/** The kiosk in a Chromium whose camera plays `y4m`, as it comes up. */
async function openKiosk(y4m: string): Promise<Page> {
  await browser?.close()
  browser = await launchWithCamera(y4m)
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('response', (r) => {
    if (r.status() === 404) problems.push(`404 ${r.url()}`)
  })
  pageProblems = problems
  await page.goto(host!.url)
  return page
}

function enrolWithCli(employeeId: string, photos: string[]): void {
  const result = runCli(env, 'faces', 'enroll', employeeId, ...photos, '--consent')
  expect(result.code, `${result.out}\n${result.err}`).toBe(0)
}

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-e2e-faces-'))
  cameras = join(dir, 'cameras')
  await mkdir(cameras)
  env = { CLOCKFACE_CONFIG: join(dir, 'config.json'), CLOCKFACE_DATA_DIR: join(dir, 'data') }
  await configure('off')
  await writeFile(
    join(dir, 'roster.csv'),
    'id,name,badge,pin\nE101,Barack Obama,20001,\nE102,Lin-Manuel Miranda,20002,\nE103,Dana Alvarez,20003,\n',
  )
  expect(runCli(env, 'roster', 'import', join(dir, 'roster.csv')).out).toContain('Imported 3')
  enrolWithCli(
    'E101',
    ['obama/obama.jpg', 'obama/obama2.jpg', 'obama/obama3.jpg'].map((p) => face(`enrolled/${p}`)),
  )
  enrolWithCli('E102', videoFrames(hamilton(), hamiltonStills, cameras))
})

test.afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

test('a person enrolled through the CLI walks up and is greeted by name', async () => {
  await restartHost('off')
  // Another photo of him than the three he was enrolled with.
  const page = await kioskWithCamera(
    photoCamera(face('enrolled/obama/obama1.jpg'), join(cameras, 'obama1.y4m')),
  )
  const greeting = page.getByTestId('greeting')
  await expect(greeting).toHaveAttribute('data-employee-id', 'E101', { timeout: 20_000 })
  await expect(greeting).toContainText('Barack Obama')
  // The face engine (wasm, models, camera) ran under the kiosk's CSP without a complaint.
  expect(pageProblems).toEqual([])
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '1')
})

test('an impostor is told "not recognised" and nothing is recorded', async () => {
  const page = await kioskWithCamera(
    photoCamera(face('impostors/biden/biden2.jpg'), join(cameras, 'biden.y4m')),
  )
  await expect(page.getByTestId('face-unknown')).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('face-unknown')).toContainText('Not recognised')
  await page.waitForTimeout(4000)
  await expect(page.getByTestId('greeting')).toHaveCount(0)
  await expect(page.getByTestId('already')).toHaveCount(0)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '1')
})

test('with liveness on, a still photo of an enrolled person never punches', async () => {
  await restartHost('either')
  const page = await kioskWithCamera(
    photoCamera(face('enrolled/obama/obama1.jpg'), join(cameras, 'obama1.y4m')),
  )
  // He is recognised (main asks for liveness), but a photo cannot blink or turn.
  await expect(page.getByTestId('face-guidance')).toHaveAttribute('data-guidance', 'blinkOrTurn', {
    timeout: 20_000,
  })
  await expect(page.getByTestId('face-guidance')).toContainText(
    'Please blink or turn your head slightly',
  )
  for (let second = 0; second < 10; second += 1) {
    await page.waitForTimeout(1000)
    await expect(page.getByTestId('greeting')).toHaveCount(0)
    await expect(page.getByTestId('already')).toHaveCount(0)
  }
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '1')
})

test('with liveness on, a photo swung and turned in front of the camera never punches', async () => {
  const swung = swungPhotoCamera(face('enrolled/obama/obama1.jpg'), join(cameras, 'swung.y4m'))
  const page = await kioskWithCamera(swung)
  await expect(page.getByTestId('face-guidance')).toHaveAttribute('data-guidance', 'blinkOrTurn', {
    timeout: 20_000,
  })
  for (let second = 0; second < 12; second += 1) {
    await page.waitForTimeout(1000)
    await expect(page.getByTestId('greeting')).toHaveCount(0)
    await expect(page.getByTestId('already')).toHaveCount(0)
  }
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '1')
})

test('with liveness on, real video of an enrolled person passes and is greeted', async () => {
  // The mid shot of the clip, looping: he talks, moves and turns his head as people do.
  const clip = videoCamera(hamilton(), join(cameras, 'hamilton.y4m'), { start: 2.6, duration: 5.3 })
  const page = await kioskWithCamera(clip)
  const greeting = page.getByTestId('greeting')
  await expect(greeting).toHaveAttribute('data-employee-id', 'E102', { timeout: 30_000 })
  await expect(greeting).toContainText('Lin-Manuel Miranda')
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '2')
})

test('face and badge: the badge names the person and only their own face confirms it', async () => {
  await restartHost('off', { mode: 'faceAndBadge' })
  const page = await kioskWithCamera(
    photoCamera(face('enrolled/obama/obama1.jpg'), join(cameras, 'obama1.y4m')),
  )
  const pending = page.getByTestId('sync-status')
  const before = Number(await pending.getAttribute('data-pending'))
  // His face alone, well recognised in face mode, records nothing here.
  await page.waitForTimeout(3000)
  await expect(page.getByTestId('greeting')).toHaveCount(0)

  // Someone else's badge in front of his face: asked for, never confirmed.
  await scanBadge(page, '20002')
  const verify = page.getByTestId('face-verify')
  await expect(verify).toHaveAttribute('data-employee-id', 'E102')
  await expect(verify).toContainText('Lin-Manuel Miranda, please look at the camera')
  await expect(verify).toHaveCount(0, { timeout: 20_000 })
  await expect(page.getByText('Your face did not confirm this badge in time')).toBeVisible()
  await expect(page.getByTestId('greeting')).toHaveCount(0)
  await expect(pending).toHaveAttribute('data-pending', String(before))

  // His own badge: his face confirms it.
  await page.mouse.click(60, 400)
  await scanBadge(page, '20001')
  await expect(page.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E101', {
    timeout: 10_000,
  })
  await expect(pending).toHaveAttribute('data-pending', String(before + 1))
})

test('the next person in a queue is greeted at once, while the last greeting is still up', async () => {
  // Greetings that would stay up for 30 s: the second can only come from not waiting for it.
  await restartHost('off', { greetingSeconds: 30, duplicateWindowSeconds: 0 })
  const queue = join(cameras, 'queue')
  await mkdir(queue, { recursive: true })
  const [miranda] = videoFrames(hamilton(), [hamiltonStills[3]!], queue)
  const camera = queueCamera(
    [face('enrolled/obama/obama1.jpg'), miranda!],
    join(cameras, 'queue.y4m'),
    3,
    1.2,
  )
  const page = await kioskWithCamera(camera)
  const greeting = (id: string) =>
    page.locator(`[data-testid="greeting"][data-employee-id="${id}"]`)
  await expect(greeting('E101')).toBeVisible({ timeout: 20_000 })
  await expect(greeting('E102')).toBeVisible({ timeout: 10_000 })
  await expect(greeting('E101')).toHaveCount(0)
})

test('the camera is the one named in config; a named camera that is missing is reported', async () => {
  // Chromium names a camera played from a file after the file; the match ignores case.
  await restartHost('off', { camera: 'OBAMA1.Y4M', duplicateWindowSeconds: 0 })
  const obama = photoCamera(face('enrolled/obama/obama1.jpg'), join(cameras, 'obama1.y4m'))
  const page = await kioskWithCamera(obama)
  await expect(page.getByTestId('face-camera')).toHaveAttribute('data-camera', 'ok')
  await expect(page.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E101', {
    timeout: 20_000,
  })

  await restartHost('off', { camera: 'Front door webcam', duplicateWindowSeconds: 0 })
  const elsewhere = await openKiosk(obama)
  const camera = elsewhere.getByTestId('face-camera')
  await expect(camera).toHaveAttribute('data-state', 'unavailable', { timeout: 30_000 })
  await expect(camera).toHaveAttribute('data-camera', 'missing')
  await elsewhere.waitForTimeout(3000)
  await expect(elsewhere.getByTestId('greeting')).toHaveCount(0)
  // Badges work regardless.
  await scanBadge(elsewhere, '20001')
  await expect(elsewhere.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E101')
})

test('an admin enrols a person at the kiosk, who is then recognised; deleting undoes it', async () => {
  await restartHost('off')
  const page = await kioskWithCamera(
    photoCamera(face('enrolled/deepface_A/img1.jpg'), join(cameras, 'a1.y4m')),
  )
  await page.getByTestId('admin-open').click()
  for (const digit of '2468') await page.getByTestId(`pin-key-${digit}`).click()
  await page.getByTestId('pin-submit').click()
  await page.getByTestId('admin-tab-faces').click()
  await expect(page.getByTestId('face-backend')).toContainText('wasm')

  await page.getByTestId('enrol-search').fill('E103')
  await page.locator('[data-testid="enrol-person"][data-employee-id="E103"]').click()
  await expect(page.getByTestId('enrol-consent-date')).toBeVisible()
  await page.getByTestId('enrol-consent').click()
  const progress = page.getByTestId('enrol-progress')
  await expect(progress).toHaveAttribute('data-needed', '5')
  await expect(progress).toHaveAttribute('data-accepted', '5', { timeout: 30_000 })
  await page.getByTestId('enrol-finish').click()
  await expect(page.getByTestId('enrol-outcome')).toContainText('Dana Alvarez is enrolled')
  await expect(
    page.locator('[data-testid="face-person"][data-employee-id="E103"]'),
  ).toHaveAttribute('data-templates', '5')
  await page.getByTestId('admin-lock').click()

  // Back at the kiosk, another photo of her is recognised.
  const kiosk = await kioskWithCamera(
    photoCamera(face('enrolled/deepface_A/img2.jpg'), join(cameras, 'a2.y4m')),
  )
  // The first screen may already have punched her from its own camera in the moment between
  // the admin lock and its browser closing; then this one says "already", which is her too.
  const recognised = kiosk.locator('[data-testid="greeting"], [data-testid="already"]')
  await expect(recognised).toHaveAttribute('data-employee-id', 'E103', { timeout: 20_000 })

  // Her face data deleted, the kiosk no longer knows her.
  // A tap beside the card clears it.
  await kiosk.mouse.click(60, 400)
  await kiosk.getByTestId('admin-open').click()
  for (const digit of '2468') await kiosk.getByTestId(`pin-key-${digit}`).click()
  await kiosk.getByTestId('pin-submit').click()
  await kiosk.getByTestId('admin-tab-faces').click()
  await kiosk.getByTestId('enrol-search').fill('E103')
  await kiosk.locator('[data-testid="face-delete"][data-employee-id="E103"]').click()
  await kiosk.getByTestId('face-delete-confirm').click()
  await expect(kiosk.getByTestId('enrol-outcome')).toContainText('face data was deleted')
  await kiosk.getByTestId('admin-lock').click()
  await expect(kiosk.getByTestId('face-unknown')).toBeVisible({ timeout: 20_000 })
})
