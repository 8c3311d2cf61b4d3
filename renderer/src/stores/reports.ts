/** The attendance report of a period (this month unless changed), its files and one person's month. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AttendanceReportView } from '../../../electron/shared/attendance-types'
import { api } from '../bridge'
import { saveBase64File } from '../files/save-file'
import { refusalOf, type Refusal } from './day-board'
import { useKioskStore } from './kiosk'
import { monthOf, siteToday } from './working-days'

export const useReportsStore = defineStore('reports', () => {
  const kiosk = useKioskStore()
  const month = monthOf(siteToday(kiosk.now, kiosk.timeZone))
  const from = ref(month.from)
  const to = ref(month.to)
  const report = ref<AttendanceReportView | null>(null)
  const refusal = ref<Refusal | null>(null)
  const loading = ref(false)
  /** The person whose month is shown at a glance. */
  const personId = ref<string | null>(null)
  const downloading = ref<'csv' | 'xlsx' | null>(null)

  /** Loads the report for the chosen period; a period backwards is swapped, not refused. */
  async function load(): Promise<void> {
    if (from.value > to.value) [from.value, to.value] = [to.value, from.value]
    loading.value = true
    try {
      report.value = await api.getAttendanceReport({ from: from.value, to: to.value })
      refusal.value = null
      const people = report.value.totals.map((row) => row.employeeId)
      if (!personId.value || !people.includes(personId.value)) personId.value = people[0] ?? null
    } catch (error) {
      refusal.value = refusalOf(error)
    } finally {
      loading.value = false
    }
  }

  /** Chooses a whole month, e.g. "2026-03". */
  function chooseMonth(yearMonth: string): Promise<void> {
    const chosen = monthOf(`${yearMonth}-01`)
    from.value = chosen.from
    to.value = chosen.to
    return load()
  }

  /** Downloads the period's report as CSV or XLSX, one row per person per day. */
  async function download(format: 'csv' | 'xlsx'): Promise<void> {
    if (downloading.value) return
    downloading.value = format
    try {
      const file = await api.exportAttendanceReport({
        from: from.value,
        to: to.value,
        format,
        summary: false,
      })
      saveBase64File(file.fileName, file.mimeType, file.base64)
      refusal.value = null
    } catch (error) {
      refusal.value = refusalOf(error)
    } finally {
      downloading.value = null
    }
  }

  return { from, to, report, refusal, loading, personId, downloading, load, chooseMonth, download }
})
