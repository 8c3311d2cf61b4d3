/**
 * The kiosk at the door, end to end: a roster imported by the CLI, the real browser host, real
 * Chromium, a badge reader typing fast, a person typing slowly, a PIN punch, and the CSV export.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { parseCsv } from '../../electron/core/csv'
import { runCli } from '../fixtures/cli'
import { scanBadge, startHost, type RunningHost } from './host'

test.describe.configure({ mode: 'serial' })

let dir: string
let env: NodeJS.ProcessEnv
let host: RunningHost
const duplicateWindowSeconds = 3

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-e2e-'))
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      site: { id: 'e2e', name: 'Front Desk' },
      timeZone: 'Asia/Shanghai',
      language: 'en',
      attendance: { duplicateWindowSeconds, switchWindowSeconds: 2 },
      // Reader-speed keys arrive through CDP; on a loaded 2-core machine they can lag tens of ms.
      badge: { maxKeyIntervalMs: 150 },
      // A front desk without a camera. (With one, the face engine's warm-up at page load keeps
      // the page busy, and CDP, unlike a USB reader, spaces the keys by the page's delays.)
      faces: { enabled: false },
    }),
  )
  await writeFile(
    join(dir, 'roster.csv'),
    'id,name,badge,pin\nE001,张伟,10001,\nE002,Alice Martin,10002;10002-B,4321\n',
  )
  env = { CLOCKFACE_CONFIG: join(dir, 'config.json'), CLOCKFACE_DATA_DIR: join(dir, 'data') }
  const imported = runCli(env, 'roster', 'import', join(dir, 'roster.csv'))
  expect(imported.out).toContain('Imported 2 employees')
  host = await startHost(env)
})

test.afterAll(async () => {
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

test('a badge scan greets the right person, repeats say "already", and later checks out', async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByText('Front Desk')).toBeVisible()
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '0')

  await scanBadge(page, '10001')
  const greeting = page.getByTestId('greeting')
  await expect(greeting).toBeVisible()
  await expect(greeting).toHaveAttribute('data-employee-id', 'E001')
  await expect(greeting).toHaveAttribute('data-punch-type', 'in')
  await expect(greeting).toContainText('张伟')
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '1')

  await scanBadge(page, '10001')
  await expect(page.getByTestId('already')).toBeVisible()
  await expect(page.getByTestId('already')).toContainText(/already checked in/i)

  await page.waitForTimeout(duplicateWindowSeconds * 1000 + 200)
  await scanBadge(page, '10001')
  await expect(page.getByTestId('greeting')).toHaveAttribute('data-punch-type', 'out')
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '2')
})

test('typing at human speed records nothing; an unknown badge says so', async ({ page }) => {
  await page.goto(host.url)
  await expect(page.getByText('Front Desk')).toBeVisible()
  await page.keyboard.type('10002', { delay: 450 })
  await page.keyboard.press('Enter')
  await page.waitForTimeout(1000)
  await expect(page.getByTestId('greeting')).toHaveCount(0)
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '2')

  await scanBadge(page, '55555')
  await expect(page.getByTestId('kiosk-error')).toHaveAttribute('data-code', 'BADGE_UNKNOWN')
  await expect(page.getByTestId('greeting')).toHaveCount(0)
})

test('a PIN punch works for a person found by name', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: /PIN/ }).click()
  await expect(page.getByTestId('pin-panel')).toBeVisible()
  await page.getByTestId('pin-search').fill('alice')
  await page.locator('[data-testid="pin-employee"][data-employee-id="E002"]').click()
  for (const digit of '4321') await page.getByTestId(`pin-key-${digit}`).click()
  await page.getByTestId('pin-submit').click()
  const greeting = page.getByTestId('greeting')
  await expect(greeting).toHaveAttribute('data-employee-id', 'E002')
  await expect(greeting).toHaveAttribute('data-punch-type', 'in')
})

test('the kiosk page loads with no CSP violation or console error', async ({ page }) => {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
  await page.goto(host.url)
  await expect(page.getByText('Front Desk')).toBeVisible()
  await page.waitForTimeout(500)
  expect(problems).toEqual([])
})

test('the CSV export holds exactly those punches', async () => {
  await host.stop()
  const file = join(dir, 'punches.csv')
  const res = runCli(env, 'punches', 'export', file)
  expect(res.out).toContain('Wrote 3 punches')
  const rows = parseCsv(await readFile(file, 'utf8'))
    .slice(1)
    .map((r) => r.fields)
  expect(rows.map((f) => [f[1], f[2], f[3], f[5], f[6]])).toEqual([
    ['E001', '张伟', 'in', 'badge', 'e2e'],
    ['E001', '张伟', 'out', 'badge', 'e2e'],
    ['E002', 'Alice Martin', 'in', 'pin', 'e2e'],
  ])
  for (const f of rows) expect(f[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/)
})
