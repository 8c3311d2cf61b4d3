/** Sets up a site for the admin's-day tests: config, roster and earlier punches, through the CLI. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { hashPin } from '../../electron/core/roster/pin'
import { runCli } from '../fixtures/cli'

export const SITE_ZONE = 'Asia/Shanghai'
export const ADMIN_PIN = '2468'

/** The working day `days` from today at the site, YYYY-MM-DD (negative goes back). */
export function siteDay(days: number, timeZone = SITE_ZONE): string {
  const at = new Date(Date.now() + days * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(at)
}

/** The English weekday name of a working day, as the greeting names it. */
export function weekdayName(date: string): string {
  return new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  )
}

export interface RosterRow {
  id: string
  name: string
  badge: string
  pin?: string
  role?: 'staff' | 'supervisor' | 'admin'
  /** HH:MM–HH:MM, every day of the week. */
  schedule?: [string, string]
}

/** Writes the config and imports the roster; returns the environment for host and CLI. */
export async function setUpSite(dir: string, roster: RosterRow[]): Promise<NodeJS.ProcessEnv> {
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      site: { id: 'e2e-day', name: 'Front Desk' },
      timeZone: SITE_ZONE,
      language: 'en',
      adminPinHash: hashPin(ADMIN_PIN),
      badge: { maxKeyIntervalMs: 150 },
      faces: { enabled: false },
    }),
  )
  const withRoles = roster.some((row) => row.role)
  const header = `id,name,badge,pin,schedule_start,schedule_end,schedule_days${withRoles ? ',role' : ''}`
  const lines = roster.map((row) =>
    [
      row.id,
      row.name,
      row.badge,
      row.pin ?? '',
      row.schedule?.[0] ?? '',
      row.schedule?.[1] ?? '',
      row.schedule ? '1-7' : '',
      ...(withRoles ? [row.role ?? 'staff'] : []),
    ].join(','),
  )
  await writeFile(join(dir, 'roster.csv'), [header, ...lines, ''].join('\n'))
  const env = { CLOCKFACE_CONFIG: join(dir, 'config.json'), CLOCKFACE_DATA_DIR: join(dir, 'data') }
  const imported = runCli(env, 'roster', 'import', join(dir, 'roster.csv'))
  expect(imported.code, imported.err).toBe(0)
  return env
}

export interface EarlierPunch {
  employeeId: string
  type: 'in' | 'out'
  /** YYYY-MM-DD and HH:MM at the site (its offset is +08:00 all year). */
  date: string
  time: string
}

/** Imports punches from "a previous time clock" (`punches import`), before the kiosk starts. */
export async function importPunches(
  dir: string,
  env: NodeJS.ProcessEnv,
  punches: EarlierPunch[],
): Promise<void> {
  const rows = punches.map((p) => `${p.employeeId},${p.type},${p.date}T${p.time}:00+08:00,badge`)
  const file = join(dir, 'earlier-punches.csv')
  await writeFile(file, ['employee_id,type,occurred_at,method', ...rows, ''].join('\n'))
  const imported = runCli(env, 'punches', 'import', file)
  expect(imported.code, `${imported.out}\n${imported.err}`).toBe(0)
}
