/**
 * The kiosk and the central CRM, end to end: the real browser host, real Chromium and the
 * reference CRM on 127.0.0.1. A punch reaches the CRM; with the CRM stopped the kiosk still
 * greets and counts what waits; when the CRM returns the queue drains and the status says so.
 * Punches the CRM refuses wait in admin mode, each with its reason, to be retried or discarded.
 * A kiosk whose roster requests meet an error page says it has no staff list yet, and knows
 * everyone seconds after the CRM answers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { hashPin } from '../../electron/core/roster/pin'
import { close, forward, listen, readBody, reply } from '../crm/http-kit'
import { startReferenceCrm, type ReferenceCrm } from '../crm/reference-server'
import { scanBadge, startHost, type RunningHost } from './host'

test.describe.configure({ mode: 'serial' })

const token = 'e2e-device-token'
let dir: string
let crm: ReferenceCrm
let host: RunningHost

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-e2e-sync-'))
  crm = await startReferenceCrm({ dataDir: join(dir, 'crm'), tokens: [token] })
  await crm.upsertEmployee({ id: 'E001', name: 'Ada Lovelace', active: true, badges: ['10001'] })
  await crm.upsertEmployee({ id: 'E002', name: 'Grace Hopper', active: true, badges: ['10002'] })
  await crm.upsertEmployee({ id: 'E003', name: 'Alan Turing', active: true, badges: ['10003'] })
  host = await startHost(await kioskEnv('kiosk', crm.url))
})

/** Writes a config for a kiosk reaching the CRM at `url`; returns its environment. */
async function kioskEnv(name: string, url: string): Promise<NodeJS.ProcessEnv> {
  const config = join(dir, `${name}.json`)
  await writeFile(
    config,
    JSON.stringify({
      site: { id: 'e2e', name: 'Front Desk' },
      timeZone: 'Europe/Berlin',
      attendance: { switchWindowSeconds: 1, duplicateWindowSeconds: 0 },
      adminPinHash: hashPin('2468'),
      badge: { maxKeyIntervalMs: 150 },
      // No camera at this desk: see badge-and-pin.spec.ts.
      faces: { enabled: false },
      crm: {
        url,
        deviceToken: token,
        deviceId: `e2e-${name}`,
        retryBaseMs: 200,
        retryCapSeconds: 2,
        timeoutSeconds: 2,
      },
    }),
  )
  return { CLOCKFACE_CONFIG: config, CLOCKFACE_DATA_DIR: join(dir, `${name}-data`) }
}

test.afterAll(async () => {
  await host?.stop()
  await crm?.stop()
  await rm(dir, { recursive: true, force: true })
})

test('a badge punch reaches the CRM and the status says all is uploaded', async ({ page }) => {
  await page.goto(host.url)
  const status = page.getByTestId('sync-status')
  await expect(status).toHaveAttribute('data-mode', 'online')
  await scanBadge(page, '10001')
  await expect(page.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E001')
  await expect
    .poll(() => crm.punches().map((p) => p.punch.employeeId), { timeout: 10_000 })
    .toEqual(['E001'])
  await expect(status).toHaveAttribute('data-pending', '0')
  await expect(status).toContainText('All punches uploaded')
})

test('with the CRM down the kiosk still greets and shows what waits; then it catches up', async ({
  page,
}) => {
  await page.goto(host.url)
  const status = page.getByTestId('sync-status')
  await expect(status).toHaveAttribute('data-mode', 'online')
  await crm.stop()
  await scanBadge(page, '10002')
  await expect(page.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E002')
  await expect(status).toHaveAttribute('data-mode', 'offline', { timeout: 10_000 })
  await expect(status).toHaveAttribute('data-pending', '1')
  await expect(status).toContainText(/1 waiting, offline since \d\d:\d\d/)

  await crm.restart()
  await expect(status).toHaveAttribute('data-pending', '0', { timeout: 15_000 })
  await expect(status).toHaveAttribute('data-mode', 'online')
  await expect(status).toContainText('All punches uploaded')
  expect(
    crm
      .punches()
      .map((p) => p.punch.employeeId)
      .sort(),
  ).toEqual(['E001', 'E002'])
})

test('punches the CRM refuses wait in admin mode with their reason, to retry or discard', async ({
  page,
}) => {
  await page.goto(host.url)
  const status = page.getByTestId('sync-status')
  await expect(status).toHaveAttribute('data-mode', 'online')
  // HR marks him inactive; the kiosk has not heard yet, so it records his two punches.
  await crm.upsertEmployee({ id: 'E003', name: 'Alan Turing', active: false, badges: ['10003'] })
  await scanBadge(page, '10003')
  const greeting = (type: string) =>
    page.locator(`[data-testid="greeting"][data-employee-id="E003"][data-punch-type="${type}"]`)
  await expect(greeting('in')).toBeVisible()
  await page.mouse.click(60, 400)
  await expect(greeting('in')).toHaveCount(0)
  await scanBadge(page, '10003')
  await expect(greeting('out')).toBeVisible()
  await expect(status).toHaveAttribute('data-pending', '0', { timeout: 10_000 })

  await page.mouse.click(60, 400)
  await page.getByTestId('admin-open').click()
  for (const digit of '2468') await page.getByTestId(`pin-key-${digit}`).click()
  await page.getByTestId('pin-submit').click()
  await page.getByTestId('admin-tab-uploads').click()
  const letters = page.getByTestId('dead-letter')
  await expect(letters).toHaveCount(2, { timeout: 10_000 })
  for (const letter of await letters.all()) {
    await expect(letter).toHaveAttribute('data-reason', 'inactive_employee')
    await expect(letter).toContainText('Alan Turing')
  }

  // HR corrects the mistake: the first punch, retried, now goes through.
  await crm.upsertEmployee({ id: 'E003', name: 'Alan Turing', active: true, badges: ['10003'] })
  await letters.first().getByTestId('dead-letter-retry').click()
  await expect(letters).toHaveCount(1)
  await expect
    .poll(() => crm.punches().filter((p) => p.punch.employeeId === 'E003').length, {
      timeout: 10_000,
    })
    .toBe(1)

  // The other is discarded, with a reason, and the list is empty.
  await letters.first().getByTestId('dead-letter-discard').click()
  await letters.first().getByTestId('discard-reason').fill('Left early, HR informed by phone')
  await letters.first().getByTestId('discard-confirm').click()
  await expect(page.getByTestId('no-dead-letters')).toBeVisible()
  await expect(letters).toHaveCount(0)
  await page.getByTestId('admin-lock').click()
  await expect(status).toHaveAttribute('data-pending', '0')
  expect(crm.punches().filter((p) => p.punch.employeeId === 'E003')).toHaveLength(1)
})

test('with no staff list yet the status says so; once the CRM answers, badges work', async ({
  page,
}) => {
  // A proxy in front of the CRM that answers roster requests with an HTML error page until told.
  let rosterBroken = true
  const front = createServer(async (req, res) => {
    if (rosterBroken && req.url?.startsWith('/v1/roster')) {
      res.writeHead(502, { 'content-type': 'text/html' })
      return res.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
    }
    try {
      reply(res, await forward(crm.url, req, await readBody(req)))
    } catch {
      res.socket?.destroy()
    }
  })
  const { url } = await listen(front)
  const kiosk = await startHost(await kioskEnv('fresh', url))
  try {
    await page.goto(kiosk.url)
    const roster = page.getByTestId('roster-status')
    await expect(roster).toHaveText('Staff list not loaded yet — waiting for the CRM')
    await expect(roster).toHaveAttribute('data-state', 'never')
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-mode', 'online')

    rosterBroken = false
    await expect(roster).toHaveCount(0, { timeout: 10_000 })
    await scanBadge(page, '10001')
    await expect(page.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E001')
  } finally {
    await kiosk.stop()
    await close(front)
  }
})
