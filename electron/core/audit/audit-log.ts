/** Reading the audit trail: filtered by person, kind and date, newest first, and as CSV. */
import type { AuditEntryView } from '../../shared/attendance-types'
import { addDays } from '../attendance/shifts'
import { formatRfc3339, zonedParts, zonedToInstant } from '../attendance/zoned-time'
import { formatCsvRow } from '../csv'
import type { SqlValue, Store } from '../store/types'

export interface AuditFilter {
  /** An employee id: entries they made, entries about them, or naming them in the detail. */
  person: string | null
  /** An action or its prefix, e.g. `punch.` or `admin.unlock`. */
  kind: string | null
  /** Site-local dates, both included. */
  from: string | null
  to: string | null
}

interface AuditRow {
  seq: number
  at: number
  actor: string
  action: string
  subject: string | null
  detail: string | null
}

const like = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Entries matching the filter, newest first, `limit` of them before `before` (a seq). */
export function readAudit(
  store: Store,
  timeZone: string,
  filter: AuditFilter,
  page: { before: number | null; limit: number },
): AuditEntryView[] {
  const where: string[] = []
  const params: SqlValue[] = []
  if (filter.person) {
    where.push(`(actor = ? OR subject = ? OR detail LIKE ? ESCAPE '\\')`)
    params.push(
      `employee:${filter.person}`,
      filter.person,
      `%"employeeId":"${like(filter.person)}"%`,
    )
  }
  if (filter.kind) {
    where.push(`action LIKE ? ESCAPE '\\'`)
    params.push(`${like(filter.kind)}%`)
  }
  if (filter.from) {
    where.push('at >= ?')
    params.push(zonedToInstant(filter.from, '00:00', timeZone))
  }
  if (filter.to) {
    where.push('at < ?')
    params.push(zonedToInstant(addDays(filter.to, 1), '00:00', timeZone))
  }
  if (page.before !== null) {
    where.push('seq < ?')
    params.push(page.before)
  }
  const rows = store.all<AuditRow>(
    `SELECT seq, at, actor, action, subject, detail FROM audit
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
    [...params, page.limit],
  )
  return rows.map((row) => ({
    ...row,
    at: formatRfc3339(row.at, zonedParts(row.at, timeZone).offsetMinutes),
  }))
}

/** Every matching entry as CSV text (UTF-8 BOM, CRLF, text cells defused), newest first. */
export function auditCsv(store: Store, timeZone: string, filter: AuditFilter): string {
  const lines = [formatCsvRow(['seq', 'at', 'actor', 'action', 'subject', 'detail'])]
  let before: number | null = null
  for (;;) {
    const page = readAudit(store, timeZone, filter, { before, limit: 500 })
    for (const e of page)
      lines.push(formatCsvRow([e.seq, e.at, e.actor, e.action, e.subject, e.detail]))
    if (page.length < 500) break
    before = page[page.length - 1]!.seq
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
