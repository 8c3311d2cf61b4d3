/**
 * The CLI commands that work while the kiosk runs: each declares its options (one schema, also
 * the check on what arrives over the control channel) and runs against whichever process holds
 * the data folder, the CLI itself or the running kiosk. A command joins by adding an entry here
 * and its argument parsing and printing in electron/cli/commands.ts; nothing else changes.
 */
import { isAbsolute } from 'node:path'
import type { Config } from '../config/config'
import { CsvEncodingError, readCsvFile, type DecodedCsv } from '../csv-encoding'
import { auditEntry } from '../audit/audit'
import { exportPunches } from '../attendance/export'
import { attendanceReport, checkPeriod } from '../attendance/report'
import { formatOf, writeReportFile } from '../attendance/report-file'
import { Timesheet } from '../attendance/timesheet'
import { importPunches, PunchFileError } from '../attendance/punch-import'
import { parseLocalDate } from '../attendance/zoned-time'
import type { Logger } from '../logger'
import { importRoster, RosterFileError } from '../roster/import'
import { Roster } from '../roster/roster'
import type { Store } from '../store/types'
import { parseOrThrow, record, SchemaError, text, z } from '../../shared/schema'

/** What a command may use of the process that runs it. */
export interface OperationContext {
  store: Store
  config: Config
  now(): number
  log: Logger
  /** Punches entered the upload queue without `recordPunch`: upload them soon. */
  punchesQueued(): void
  /** A roster change made these people inactive: their faces stop matching now. */
  peopleDeactivated(employeeIds: string[]): void
}

/** A failure the person at the terminal can fix; its message is shown as is. */
export class CommandError extends Error {
  override name = 'CommandError'
}

const absolutePath = z.string({ error: 'an absolute path' }).check(
  z.refine((path) => path.length <= 4096 && isAbsolute(path) && !path.includes('\0'), {
    error: 'an absolute path',
  }),
)
const localDate = z
  .string({ error: 'a date as YYYY-MM-DD' })
  .check(z.refine((d) => parseLocalDate(d) === d, { error: 'a date as YYYY-MM-DD' }))
const encoding = z.optional(text(1, 64))

/** Every command that works while the kiosk runs, by the words that name it on the CLI. */
export const operations = {
  'report attendance': {
    options: record({
      file: absolutePath,
      from: localDate,
      to: localDate,
      summary: z.boolean(),
    }),
    async run(
      ctx: OperationContext,
      o: { file: string; from: string; to: string; summary: boolean },
    ) {
      const format = formatOf(o.file)
      if (!format) throw new CommandError('the report file must end in .csv or .xlsx')
      try {
        checkPeriod(o.from, o.to)
      } catch (error) {
        throw new CommandError((error as Error).message)
      }
      const timesheet = new Timesheet(ctx.store, ctx.config, ctx.now)
      const report = attendanceReport(timesheet, new Roster(ctx.store).everyone(), o.from, o.to)
      try {
        await writeReportFile(report, o.file, format, o.summary)
      } catch (error) {
        throw new CommandError(`cannot write ${o.file}: ${(error as Error).message}`)
      }
      return {
        rows: o.summary ? report.totals.length : report.days.length,
        people: report.totals.length,
      }
    },
  },
  'roster import': {
    options: record({ file: absolutePath, encoding }),
    run(ctx: OperationContext, o: { file: string; encoding?: string }) {
      const decoded = readCsv(o.file, o.encoding)
      const activeBefore = activeIds(ctx.store)
      const report = importRoster(ctx.store, decoded.text, ctx.now())
      const activeAfter = activeIds(ctx.store)
      ctx.peopleDeactivated([...activeBefore].filter((id) => !activeAfter.has(id)))
      return { encoding: decoded.encoding, report }
    },
  },
  'punches export': {
    options: record({ file: absolutePath, from: z.optional(localDate), to: z.optional(localDate) }),
    run(ctx: OperationContext, o: { file: string; from?: string; to?: string }) {
      if (o.from && o.to && o.from > o.to) throw new CommandError('--from must not be after --to')
      try {
        return { count: exportPunches(ctx.store, o.file, { from: o.from, to: o.to }) }
      } catch (error) {
        throw new CommandError(`cannot write ${o.file}: ${(error as Error).message}`)
      }
    },
  },
  'punches import': {
    options: record({ file: absolutePath, encoding, upload: z.boolean() }),
    async run(ctx: OperationContext, o: { file: string; encoding?: string; upload: boolean }) {
      const decoded = readCsv(o.file, o.encoding)
      const report = await importPunches(ctx.store, ctx.config, decoded.text, {
        now: ctx.now(),
        upload: o.upload,
        file: o.file,
        actor: 'cli',
      })
      if (report.queued) ctx.punchesQueued()
      return { encoding: decoded.encoding, report }
    },
  },
} as const

export type OperationName = keyof typeof operations
export type OptionsOf<N extends OperationName> = Parameters<(typeof operations)[N]['run']>[1]
export type OutcomeOf<N extends OperationName> = Awaited<ReturnType<(typeof operations)[N]['run']>>

/** True for the names in the registry (and nothing a prototype provides). */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name)
}

/** Errors whose message alone tells the person what to fix; others are faults, logged whole. */
export function isKnownFailure(error: unknown): boolean {
  return [CommandError, RosterFileError, PunchFileError, CsvEncodingError, SchemaError].some(
    (kind) => error instanceof kind,
  )
}

/**
 * Checks the options, runs the command and audits it as `cli.<command>` (`via`: who carried
 * it), whatever its outcome. Throws what the command threw.
 */
export async function runOperation(
  ctx: OperationContext,
  name: OperationName,
  options: unknown,
  via: 'local' | 'control',
): Promise<unknown> {
  const operation = operations[name]
  const checked = parseOrThrow(operation.options, options, 'options')
  const action = `cli.${name.replace(/ /g, '.')}`
  try {
    const outcome = await operation.run(ctx, checked as never)
    ctx.store.commit([auditEntry(ctx.now(), 'cli', action, null, { via, options: checked })])
    return outcome
  } catch (error) {
    const failed = { via, options: checked, failed: (error as Error).message }
    try {
      ctx.store.commit([auditEntry(ctx.now(), 'cli', action, null, failed)])
    } catch (auditError) {
      ctx.log.error(`${action} could not be audited`, auditError)
    }
    throw error
  }
}

function readCsv(file: string, encodingName: string | undefined): DecodedCsv {
  try {
    return readCsvFile(file, encodingName)
  } catch (error) {
    if (error instanceof CsvEncodingError) throw error
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}`)
  }
}

function activeIds(store: Store): Set<string> {
  const rows = store.all<{ id: string }>(`SELECT id FROM employees WHERE active = 1`)
  return new Set(rows.map((r) => r.id))
}
