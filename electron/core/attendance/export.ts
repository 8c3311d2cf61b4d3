/** Punch export as CSV for payroll and audits; dates are the site's working days. */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs'
import { formatCsvRow } from '../csv'
import type { Store } from '../store/types'
import { toPunchView, type PunchRow } from './attendance'

/** The fixed columns first; later additions go after them so old readers keep working. */
export const exportColumns = [
  'id',
  'employee_id',
  'employee_name',
  'type',
  'occurred_at',
  'method',
  'site_id',
  'late',
  'early',
  'time_zone',
  'local_date',
  'corrected',
] as const

export interface ExportRange {
  /** First working day included, YYYY-MM-DD in the site's zone. */
  from?: string
  /** Last working day included. */
  to?: string
}

/**
 * Writes the punches in the range to FILE (UTF-8 with BOM, so spreadsheets read 张伟 right;
 * every text cell defused by `formatCsvRow`), oldest first, through a temp file renamed into
 * place. Returns the number of punches written.
 */
export function exportPunches(store: Store, file: string, range: ExportRange = {}): number {
  const temp = `${file}.tmp-${process.pid}`
  const fd = openSync(temp, 'w')
  let count = 0
  try {
    writeSync(fd, `\uFEFF${exportColumns.join(',')}\r\n`)
    // Punches in the same millisecond keep the order they were recorded in (rowid).
    let after: [number, number] = [-1, -1]
    for (;;) {
      const page = store.all<PunchRow & { recorded: number }>(
        `SELECT *, rowid AS recorded FROM punches
         WHERE local_date >= ? AND local_date <= ?
           AND (occurred_at > ? OR (occurred_at = ? AND rowid > ?))
         ORDER BY occurred_at, rowid LIMIT 5000`,
        [range.from ?? '0000-00-00', range.to ?? '9999-99-99', after[0], after[0], after[1]],
      )
      if (page.length === 0) break
      writeSync(fd, page.map((row) => `${formatCsvRow(toCsvFields(row))}\r\n`).join(''))
      count += page.length
      const last = page[page.length - 1]!
      after = [last.occurred_at, last.recorded]
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
  return count
}

function toCsvFields(row: PunchRow): (string | number)[] {
  const view = toPunchView(row)
  return [
    view.id,
    view.employeeId,
    view.employeeName,
    view.type,
    view.occurredAt,
    view.method,
    row.site_id,
    String(view.late),
    String(view.early),
    row.time_zone,
    view.localDate,
    String(view.corrected),
  ]
}
