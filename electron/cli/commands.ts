/**
 * The terminal side of the commands that work while the kiosk runs: how each reads its
 * arguments (files become absolute paths, since another process may open them) and how its
 * outcome is printed, the same whichever process ran it. Each name in `operations` needs one.
 */
import { resolve } from 'node:path'
import { parseLocalDate } from '../core/attendance/zoned-time'
import type { OperationName, OptionsOf, OutcomeOf } from '../core/control/operations'

/** A command line that cannot be run as given. */
export class UsageError extends Error {}

/** What a command prints to stdout and its exit code. */
export interface Printed {
  out: string
  code: number
}

interface TerminalSide<N extends OperationName> {
  usage: string
  parse(args: string[], cwd: string): OptionsOf<N>
  print(outcome: OutcomeOf<N>, options: OptionsOf<N>): Printed
}

type Rejected = { line: number; reason: string }[]

/** Every registered command's arguments and printout. */
export const terminalSides: { [N in OperationName]: TerminalSide<N> } = {
  'report attendance': {
    usage:
      'report attendance --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.csv|FILE.xlsx [--summary]',
    parse(args, cwd) {
      const { flags, switches } = parseFlags(
        args,
        ['--from', '--to', '--out'],
        ['--summary'],
        this.usage,
      )
      for (const flag of ['from', 'to', 'out'] as const) {
        if (flags[flag] === undefined)
          throw new UsageError(`--${flag} is needed\nusage: ${this.usage}`)
      }
      for (const flag of ['from', 'to'] as const) {
        if (!parseLocalDate(flags[flag]!)) {
          throw new UsageError(`--${flag} must be a date as YYYY-MM-DD, got "${flags[flag]}"`)
        }
      }
      if (!/\.(csv|xlsx)$/i.test(flags.out!)) {
        throw new UsageError(`--out must end in .csv or .xlsx, got "${flags.out}"`)
      }
      return {
        from: flags.from!,
        to: flags.to!,
        file: resolve(cwd, flags.out!),
        summary: switches.has('--summary'),
      }
    },
    print({ rows, people }, { file }) {
      return {
        out: `Wrote ${rows} row${rows === 1 ? '' : 's'} for ${people} ${people === 1 ? 'person' : 'people'} to ${file}\n`,
        code: 0,
      }
    },
  },
  'roster import': {
    usage: 'roster import FILE.csv [--encoding NAME]',
    parse(args, cwd) {
      const { file, flags } = fileAndFlags(args, ['--encoding'], [], this.usage)
      return { file: resolve(cwd, file), ...(flags.encoding ? { encoding: flags.encoding } : {}) }
    },
    print({ encoding, report }, { file }) {
      const total = report.added + report.updated
      const lines = [
        ...readAs(file, encoding),
        `Imported ${total} employee${total === 1 ? '' : 's'} (${report.added} new, ${report.updated} updated).`,
        ...ignored(report.ignoredColumns),
      ]
      return withRejected(lines, report.rejected)
    },
  },
  'punches export': {
    usage: 'punches export FILE.csv [--from YYYY-MM-DD] [--to YYYY-MM-DD]',
    parse(args, cwd) {
      const { file, flags } = fileAndFlags(args, ['--from', '--to'], [], this.usage)
      const range: { from?: string; to?: string } = {}
      for (const flag of ['from', 'to'] as const) {
        const value = flags[flag]
        if (value === undefined) continue
        if (!parseLocalDate(value)) {
          throw new UsageError(`--${flag} must be a date as YYYY-MM-DD, got "${value}"`)
        }
        range[flag] = value
      }
      if (range.from && range.to && range.from > range.to) {
        throw new UsageError('--from must not be after --to')
      }
      return { file: resolve(cwd, file), ...range }
    },
    print({ count }, { file }) {
      return { out: `Wrote ${count} punch${count === 1 ? '' : 'es'} to ${file}\n`, code: 0 }
    },
  },
  'punches import': {
    usage: 'punches import FILE.csv [--encoding NAME] [--no-upload]',
    parse(args, cwd) {
      const { file, flags, switches } = fileAndFlags(
        args,
        ['--encoding'],
        ['--no-upload'],
        this.usage,
      )
      const encoding = flags.encoding ? { encoding: flags.encoding } : {}
      return { file: resolve(cwd, file), ...encoding, upload: !switches.has('--no-upload') }
    },
    print({ encoding, report }, { file }) {
      const n = report.imported
      const lines = [
        ...readAs(file, encoding),
        `Imported ${n} punch${n === 1 ? '' : 'es'} (${report.alreadyStored} already stored).`,
        ...(n === 0
          ? []
          : [
              report.queued
                ? 'They are queued for upload.'
                : 'Not queued for upload (--no-upload).',
            ]),
        ...ignored(report.ignoredColumns),
      ]
      return withRejected(lines, report.rejected)
    },
  },
}

function fileAndFlags(
  args: string[],
  valued: string[],
  switchNames: string[],
  usage: string,
): { file: string; flags: Record<string, string>; switches: Set<string> } {
  const [file, ...rest] = args
  if (!file || file.startsWith('--')) throw new UsageError(`usage: ${usage}`)
  return { file, ...parseFlags(rest, valued, switchNames, usage) }
}

function parseFlags(
  rest: string[],
  valued: string[],
  switchNames: string[],
  usage: string,
): { flags: Record<string, string>; switches: Set<string> } {
  const flags: Record<string, string> = {}
  const switches = new Set<string>()
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!
    if (switchNames.includes(flag)) {
      switches.add(flag)
    } else if (valued.includes(flag)) {
      const value = rest[++i]
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`${flag} needs a value\nusage: ${usage}`)
      }
      flags[flag.slice(2)] = value
    } else {
      throw new UsageError(`unknown option ${flag}\nusage: ${usage}`)
    }
  }
  return { flags, switches }
}

function readAs(file: string, encoding: string): string[] {
  return encoding === 'UTF-8' ? [] : [`${file}: read as ${encoding}`]
}

function ignored(columns: string[]): string[] {
  return columns.length > 0 ? [`Ignored unknown columns: ${columns.join(', ')}`] : []
}

function withRejected(lines: string[], rejected: Rejected): Printed {
  if (rejected.length > 0) {
    lines.push(`${rejected.length} row(s) not imported:`)
    for (const { line, reason } of rejected) lines.push(`  line ${line}: ${reason}`)
  }
  return { out: `${lines.join('\n')}\n`, code: rejected.length === 0 ? 0 : 1 }
}
