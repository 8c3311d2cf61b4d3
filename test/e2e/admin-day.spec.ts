/**
 * The admin's day, end to end: a person who forgot to check out yesterday is asked at today's
 * badge punch, the answer waits on the day board, an admin confirms it, and the month's report
 * downloads as XLSX that opens, with charts drawn under the page's CSP.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import { ADMIN_PIN, importPunches, setUpSite, siteDay, weekdayName } from './attendance-setup'
import { scanBadge, startHost, type RunningHost } from './host'

test.describe.configure({ mode: 'serial' })

let dir: string
let host: RunningHost
const yesterday = siteDay(-1)

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clockface-e2e-day-'))
  const env = await setUpSite(dir, [
    // Schedules that start at midnight: whenever the test runs, Bo is due and not yet in.
    { id: 'E001', name: 'Anna Li', badge: '10001', schedule: ['00:00', '18:00'] },
    { id: 'E002', name: 'Bo Chen', badge: '10002', schedule: ['00:00', '23:59'] },
    { id: 'E003', name: 'Sam Supervisor', badge: '10003', pin: '2580', role: 'supervisor' },
  ])
  await importPunches(dir, env, [
    { employeeId: 'E001', type: 'in', date: yesterday, time: '08:55' },
    { employeeId: 'E002', type: 'in', date: yesterday, time: '09:10' },
  ])
  host = await startHost(env)
})

test.afterAll(async () => {
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** Opens admin mode with the shared admin PIN. */
async function unlockWithAdminPin(page: Page) {
  await page.getByTestId('admin-open').click()
  for (const digit of ADMIN_PIN) await page.getByTestId(`pin-key-${digit}`).click()
  await page.getByTestId('pin-submit').click()
  await expect(page.getByTestId('admin-view')).toBeVisible()
}

test('a forgotten check-out is asked at the next badge punch and waits on the day board', async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByText('Front Desk')).toBeVisible()

  await scanBadge(page, '10001')
  const greeting = page.getByTestId('greeting')
  await expect(greeting).toHaveAttribute('data-employee-id', 'E001')
  await expect(page.getByTestId('forgotten-ask')).toHaveText(
    `You didn't check out on ${weekdayName(yesterday)}. When did you leave?`,
  )
  await page.getByTestId('forgotten-schedule-end').click()
  await expect(page.getByTestId('forgotten-thanks')).toHaveText(
    'Thanks — an admin will confirm it.',
  )

  await page.getByTestId('my-week-open').click()
  await expect(page.locator(`[data-testid="my-week-day"][data-date="${yesterday}"]`)).toBeVisible()
  await page.mouse.click(40, 400)
  await expect(greeting).toHaveCount(0)

  await unlockWithAdminPin(page)
  const board = page.getByTestId('day-board')
  await expect(board).toHaveAttribute('data-date', siteDay(0))
  const inGroup = (group: string, id: string) =>
    board.locator(`[data-testid="board-${group}"] [data-employee-id="${id}"]`)
  await expect(inGroup('in-now', 'E001')).toBeVisible()
  await expect(inGroup('not-yet-in', 'E002')).toBeVisible()
  await expect(inGroup('in-now', 'E002')).toHaveCount(0)
  await expect(inGroup('open-checkouts', 'E001')).toBeVisible()

  const request = board.locator('[data-testid="correction-request"][data-employee-id="E001"]')
  await expect(request).toHaveAttribute('data-answer', 'schedule_end')
  await expect(request).toContainText('says they left at 18:00')

  await request.getByTestId('request-confirm').click()
  await expect(request).toHaveCount(0)
  await expect(inGroup('open-checkouts', 'E001')).toHaveCount(0)

  await inGroup('in-now', 'E001').click()
  const punches = page.getByTestId('person-punches')
  await expect(punches.getByTestId('ledger-punch')).toHaveCount(3)
  await expect(punches.getByTestId('ledger-correction')).toHaveCount(1)
})

test('the report downloads as XLSX that opens, and its charts draw under the CSP', async ({
  page,
}) => {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text())
  })
  await page.goto(host.url)
  await unlockWithAdminPin(page)
  await page.getByTestId('admin-tab-reports').click()
  const reports = page.getByTestId('reports')
  // The report opens on this month; on the 1st, yesterday is in the one before.
  if (yesterday.slice(0, 7) !== siteDay(0).slice(0, 7)) {
    await reports.getByTestId('report-month-earlier').click()
  }
  await expect(reports.locator('[data-testid="report-row"][data-employee-id="E001"]')).toBeVisible()
  await expect(reports.locator('[data-testid="chart-rate"] canvas')).toBeVisible()
  await expect(reports.locator('[data-testid="chart-late"] canvas')).toBeVisible()
  await expect(reports.getByTestId('person-month')).toBeVisible()

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download-xlsx').click(),
  ])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
  const file = join(dir, download.suggestedFilename())
  await download.saveAs(file)

  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(file)
  const sheet = workbook.worksheets[0]!
  const header = (sheet.getRow(1).values as unknown[]).slice(1)
  expect(header).toEqual([
    'employee_id',
    'employee_name',
    'date',
    'status',
    'first_in',
    'last_out',
    'worked_minutes',
    'late_minutes',
    'early_minutes',
    'missing_checkout',
    'corrections',
  ])
  const rows: unknown[][] = []
  sheet.eachRow((row, n) => n > 1 && rows.push((row.values as unknown[]).slice(1)))
  const annaYesterday = rows.find(
    (row) =>
      row[0] === 'E001' &&
      row[2] instanceof Date &&
      (row[2] as Date).toISOString().slice(0, 10) === yesterday,
  )
  expect(annaYesterday, 'a row for Anna Li yesterday, its date a real date').toBeDefined()
  expect(annaYesterday![3]).toBe('present')
  expect(typeof annaYesterday![6]).toBe('number')
  expect(annaYesterday![10]).toBeGreaterThan(0)

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('report-download-csv').click(),
  ])
  expect(csv.suggestedFilename()).toMatch(/\.csv$/)
  expect(violations).toEqual([])
})

test('a supervisor unlocks with badge and PIN, confirms a check-out, and cannot enrol a face', async ({
  page,
}) => {
  // Bo checked in yesterday and never out: today's punch asks, and Bo does not know when.
  await page.goto(host.url)
  await expect(page.getByText('Scan your badge or use your PIN')).toBeVisible()
  await scanBadge(page, '10002')
  await expect(page.getByTestId('greeting')).toHaveAttribute('data-employee-id', 'E002')
  await page.getByTestId('forgotten-unknown').click()
  await expect(page.getByTestId('forgotten-thanks')).toBeVisible()
  await page.mouse.click(40, 400)

  await page.getByTestId('admin-open').click()
  await scanBadge(page, '10003')
  await expect(page.getByTestId('admin-badge-read')).toBeVisible()
  for (const digit of '2580') await page.getByTestId(`pin-key-${digit}`).click()
  await page.getByTestId('pin-submit').click()
  await expect(page.getByTestId('admin-signed-in')).toHaveText(
    'Signed in: Sam Supervisor (supervisor)',
  )
  const board = page.getByTestId('day-board')
  await expect(board).toBeVisible()
  await expect(page.getByTestId('admin-tab-faces')).toHaveCount(0)
  await expect(page.getByTestId('admin-tab-uploads')).toHaveCount(0)

  const request = board.locator('[data-testid="correction-request"][data-employee-id="E002"]')
  await expect(request).toHaveAttribute('data-answer', 'unknown')
  // "I don't know": the supervisor enters the time (the stepper starts at 18:00), then confirms.
  await request.getByTestId('request-confirm').click()
  await expect(request.getByTestId('request-confirm')).toContainText('18:00')
  await request.getByTestId('request-confirm').click()
  await expect(request).toHaveCount(0)

  // The screen hides Faces; core refuses it too, whatever a page sends.
  const refused = await page.evaluate(async () => {
    const response = await fetch('/api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'faces:people', payload: { query: '' } }),
    })
    return (await response.json()) as { ok: boolean; error?: { code: string } }
  })
  expect(refused).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } })
})
