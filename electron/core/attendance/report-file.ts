/**
 * The attendance report as a file: CSV for any tool, XLSX (exceljs) for spreadsheets, with real
 * dates, times and numbers rather than text.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs'
import ExcelJS from 'exceljs'
import type { AttendanceReportView } from '../../shared/attendance-types'
import { reportColumns, reportCsv, summaryColumns } from './report'

export type ReportFormat = 'csv' | 'xlsx'

/** The format a file name asks for by its extension, or undefined. */
export function formatOf(file: string): ReportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase()
  return ext === 'csv' || ext === 'xlsx' ? ext : undefined
}

/** The report's bytes in a format. */
export async function reportBytes(
  report: AttendanceReportView,
  format: ReportFormat,
  summary: boolean,
): Promise<Uint8Array> {
  if (format === 'csv') return new TextEncoder().encode(reportCsv(report, summary))
  const book = new ExcelJS.Workbook()
  book.creator = 'Clockface'
  if (summary) summarySheet(book, report)
  else daySheet(book, report)
  return new Uint8Array(await book.xlsx.writeBuffer())
}

/** Writes the report to `file` through a temp file renamed into place. */
export async function writeReportFile(
  report: AttendanceReportView,
  file: string,
  format: ReportFormat,
  summary: boolean,
): Promise<void> {
  const bytes = await reportBytes(report, format, summary)
  const temp = `${file}.tmp-${process.pid}`
  const fd = openSync(temp, 'w')
  try {
    writeSync(fd, bytes)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
}

/** A YYYY-MM-DD date as the instant Excel reads as that calendar day. */
function excelDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`)
}

/** HH:MM as the fraction of a day Excel stores a time as. */
function excelTime(time: string | null): number | null {
  if (time === null) return null
  const [h, m] = time.split(':').map(Number) as [number, number]
  return (h * 60 + m) / 1440
}

function daySheet(book: ExcelJS.Workbook, report: AttendanceReportView): void {
  const sheet = book.addWorksheet('Attendance')
  sheet.columns = reportColumns.map((key) => ({ header: key, key, width: key.length + 4 }))
  for (const row of report.days) {
    sheet.addRow({
      employee_id: row.employeeId,
      employee_name: row.employeeName,
      date: excelDate(row.date),
      status: row.status,
      first_in: excelTime(row.firstIn),
      last_out: excelTime(row.lastOut),
      worked_minutes: row.workedMinutes,
      late_minutes: row.lateMinutes,
      early_minutes: row.earlyMinutes,
      missing_checkout: row.missingCheckout,
      corrections: row.corrections,
    })
  }
  sheet.getColumn('date').numFmt = 'yyyy-mm-dd'
  sheet.getColumn('first_in').numFmt = 'hh:mm'
  sheet.getColumn('last_out').numFmt = 'hh:mm'
  finish(sheet)
}

function summarySheet(book: ExcelJS.Workbook, report: AttendanceReportView): void {
  const sheet = book.addWorksheet('Summary')
  sheet.columns = summaryColumns.map((key) => ({ header: key, key, width: key.length + 4 }))
  for (const t of report.totals) {
    sheet.addRow({
      employee_id: t.employeeId,
      employee_name: t.employeeName,
      days_present: t.daysPresent,
      days_absent: t.daysAbsent,
      late_count: t.lateCount,
      late_minutes: t.lateMinutes,
      early_count: t.earlyCount,
      early_minutes: t.earlyMinutes,
      missing_checkouts: t.missingCheckouts,
      worked_minutes: t.workedMinutes,
      attendance_rate: t.attendanceRate,
    })
  }
  sheet.getColumn('attendance_rate').numFmt = '0.0%'
  finish(sheet)
}

function finish(sheet: ExcelJS.Worksheet): void {
  sheet.getRow(1).font = { bold: true }
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
}
