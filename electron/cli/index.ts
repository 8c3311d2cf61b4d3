/**
 * `npm run cli -- <command>`: what IT and admins do from a terminal. It opens the same store
 * the kiosk uses (and takes the same lock). While the kiosk runs, the commands registered in
 * core/control/operations.ts are handed to it; the others refuse until it stops.
 */
import { readFileSync } from 'node:fs'
import { ConfigError, loadConfig, withSecretsHidden } from '../core/config/config'
import { CsvEncodingError } from '../core/csv-encoding'
import { ControlError } from '../core/control/client'
import { isKnownFailure, isOperationName } from '../core/control/operations'
import { DataDirBusyError } from '../core/data-lock'
import { openKiosk, type Kiosk } from '../core/kiosk'
import { consoleLogger } from '../core/logger'
import { RosterFileError } from '../core/roster/import'
import { hashPin, isValidPin } from '../core/roster/pin'
import { Roster } from '../core/roster/roster'
import { describeLoss } from '../core/store/recovery'
import { ClockfaceError } from '../shared/errors'
import type { ReconciliationSummary, RosterSyncStatus } from '../shared/types'
import { UsageError } from './commands'
import { facesEnroll, facesEval, FacesUsageError } from './faces/commands'
import { runRegistered } from './handoff'
import { version } from '../../package.json'

const usage = `Clockface ${version} — command line

  roster import FILE.csv [--encoding NAME]     import or update employees from CSV (UTF-8, UTF-16,
                                               GBK/GB18030 found by itself; NAME for anything else)
  punches export FILE.csv [--from DATE] [--to DATE]
                                               write punches (DATE = YYYY-MM-DD, site days)
  punches import FILE.csv [--encoding NAME] [--no-upload]
                                               punches from a previous time clock, in the export's
                                               columns; queued for upload unless --no-upload
  pin hash [PIN]                               print the hash for "adminPinHash" (reads stdin if no PIN)
  status                                       store, roster, upload queue, last reconciliation
  reconcile --from DATE --to DATE              compare punches of those site days with the CRM's
                                               receipts; requeue what it lacks, list ids it has
                                               that this kiosk never made
  config                                       where config and data are, and the values in force
  faces eval DIR [--json FILE] [--choose first|diverse|frontal] [--templates N] [--folds N] [--repeats N]
                                               measure recognition on photos laid out like ../shared/faces
  faces enroll EMPLOYEE_ID PHOTO... --consent [--consent-method paper|electronic|on_screen_signature]
                                               enrol a person from 3+ photos, once consent is recorded

roster import, punches export and punches import also work while the kiosk runs: the
kiosk does the work. The others need it stopped.

Config: CLOCKFACE_CONFIG names the file, CLOCKFACE_DATA_DIR the data folder.`

async function main(argv: string[]): Promise<number> {
  const [group, verb, ...rest] = argv
  const command = [group, verb].filter(Boolean).join(' ')
  if (!group || group === 'help' || group === '--help') {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (group === 'pin' && verb === 'hash') return pinHash(rest[0])
  if (group === 'config') return showConfig()
  if (isOperationName(command)) return runRegistered(command, rest)
  if (group === 'status') return withKiosk(status)
  if (group === 'reconcile') return withKiosk((k) => reconcile(k, [verb, ...rest]))
  if (command === 'faces eval') return facesEval(rest)
  if (command === 'faces enroll') return facesEnroll(rest, withKiosk)
  throw new UsageError(`unknown command "${argv.join(' ')}"\n\n${usage}`)
}

async function withKiosk(run: (kiosk: Kiosk) => number | Promise<number>): Promise<number> {
  const kiosk = await openKiosk({
    loaded: loadConfig(),
    log: consoleLogger({ quiet: true }),
    version,
    startSync: false,
  })
  try {
    return await run(kiosk)
  } finally {
    await kiosk.close()
  }
}

function crmLine(crm: Kiosk['config']['crm']): string {
  if (crm.kind === 'clockface') return crm.url ?? 'none configured (offline only)'
  return `${crm.kind}${crm.url ? ` at ${crm.url}` : ''}`
}

function status(kiosk: Kiosk): number {
  const r = kiosk.store.recovery
  const people = new Roster(kiosk.store).count()
  const sync = kiosk.sync.status()
  const { deadLetters } = kiosk.sync.outbox.depth()
  const offset = kiosk.sync.clock.offsetMs
  const punches = kiosk.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM punches`)?.n ?? 0
  const lines = [
    `site:            ${kiosk.config.site.name} (${kiosk.config.site.id}), ${kiosk.config.timeZone}`,
    `employees:       ${people.active} active, ${people.inactive} inactive`,
    `punches stored:  ${punches}`,
    `CRM:             ${crmLine(kiosk.config.crm)}`,
    `queue:           ${sync.pending} waiting${sync.oldestPendingAt ? `, oldest from ${sync.oldestPendingAt}` : ''}`,
    `dead letters:    ${deadLetters}${deadLetters > 0 ? ' (see admin mode on the kiosk)' : ''}`,
    `last sync:       ${sync.lastSyncAt ?? 'never'}`,
    `roster:          ${rosterLine(sync.roster)}`,
    `reconciled:      ${reconciliationLine(sync.reconciliation)}`,
    `clock offset:    ${offset === null ? 'unknown' : `${offset} ms (CRM minus kiosk)${kiosk.sync.clock.trusted ? '' : ', NOT trusted'}`}`,
    `store:           opened in ${Math.round(r.openMs)} ms from ${r.snapshot ?? 'empty'}, ${r.replayed} journal entries replayed`,
  ]
  if (r.setAside.length > 0) lines.push(`set aside:       ${r.setAside.join(', ')}`)
  for (const loss of r.unrecoverable) lines.push(`unrecoverable:   ${describeLoss(loss)}`)
  for (const repair of r.repaired) lines.push(`repaired:        ${repair.file}: ${repair.detail}`)
  for (const s of r.skipped)
    lines.push(`damaged:         ${s.records} record(s) skipped in ${s.segment}`)
  process.stdout.write(`${lines.join('\n')}\n`)
  return 0
}

function reconciliationLine(r: ReconciliationSummary | null): string {
  if (!r) return 'never'
  return (
    `${r.ranAt} for ${r.from}..${r.to}: ${r.localCount} here, ${r.remoteCount} at the CRM, ` +
    `${r.requeued} requeued, ${r.unknownIds} unknown to this kiosk`
  )
}

async function reconcile(kiosk: Kiosk, args: (string | undefined)[]): Promise<number> {
  const [f, from, t, to, ...extra] = args
  if (f !== '--from' || t !== '--to' || !from || !to || extra.length > 0) {
    throw new UsageError('usage: reconcile --from YYYY-MM-DD --to YYYY-MM-DD')
  }
  const r = await kiosk.sync.reconcile({ from, to }, 'cli')
  process.stdout.write(`${reconciliationLine(r)}\n`)
  if (r.requeued > 0)
    process.stdout.write(`${r.requeued} punch(es) back in the upload queue; the kiosk sends them\n`)
  for (const id of r.unknownIdList) process.stdout.write(`  unknown to this kiosk: ${id}\n`)
  if (r.unknownIds > r.unknownIdList.length)
    process.stdout.write(`  … and ${r.unknownIds - r.unknownIdList.length} more\n`)
  return 0
}

function rosterLine(r: RosterSyncStatus): string {
  if (r.state === 'local') return 'local (CSV import, no CRM)'
  if (r.state === 'never') return 'never synced with the CRM'
  return `${r.state}, last synced ${r.lastSyncAt}`
}

function showConfig(): number {
  const loaded = loadConfig()
  const shown = withSecretsHidden(loaded.config)
  process.stdout.write(
    `config file: ${loaded.fromFile ? loaded.path : `${loaded.path} (not present: defaults)`}\n` +
      `data folder: ${loaded.dataDir}\n${JSON.stringify(shown, null, 2)}\n`,
  )
  return 0
}

async function pinHash(pinArg: string | undefined): Promise<number> {
  const pin = (pinArg ?? readFileSync(0, 'utf8')).trim()
  if (!isValidPin(pin)) throw new UsageError('a PIN is 4 to 8 digits')
  process.stdout.write(`${hashPin(pin)}\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known =
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof DataDirBusyError ||
      error instanceof RosterFileError ||
      error instanceof CsvEncodingError ||
      error instanceof ClockfaceError ||
      error instanceof FacesUsageError ||
      error instanceof ControlError ||
      isKnownFailure(error)
    process.stderr.write(`clockface: ${error instanceof Error ? error.message : String(error)}\n`)
    if (!known && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
    process.exit(2)
  },
)
