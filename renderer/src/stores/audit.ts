/** The audit trail, newest first, filtered by person, kind and dates, paged by sequence number. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AuditEntryView } from '../../../electron/shared/attendance-types'
import { api } from '../bridge'
import { saveFile } from '../files/save-file'
import { refusalOf, type Refusal } from './day-board'

/** Entries fetched per page. */
export const AUDIT_PAGE = 50

export interface AuditFilter {
  person: string
  /** An action prefix, e.g. "attendance." or "admin."; empty for every kind. */
  kind: string
  from: string
  to: string
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim())

export const useAuditStore = defineStore('audit', () => {
  const filter = ref<AuditFilter>({ person: '', kind: '', from: '', to: '' })
  const entries = ref<AuditEntryView[]>([])
  /** More entries may be older than the last one shown. */
  const more = ref(false)
  const loaded = ref(false)
  const loading = ref(false)
  const refusal = ref<Refusal | null>(null)

  function query() {
    const { person, kind, from, to } = filter.value
    let [start, end] = [orNull(from), orNull(to)]
    if (start && end && start > end) [start, end] = [end, start]
    return { person: orNull(person), kind: orNull(kind), from: start, to: end }
  }

  async function fetchPage(before: number | null): Promise<void> {
    loading.value = true
    try {
      const page = await api.listAudit({ ...query(), before, limit: AUDIT_PAGE })
      entries.value = before === null ? page : [...entries.value, ...page]
      more.value = page.length === AUDIT_PAGE
      loaded.value = true
      refusal.value = null
    } catch (error) {
      refusal.value = refusalOf(error)
    } finally {
      loading.value = false
    }
  }

  /** Loads the newest entries that match the filter. */
  function search(): Promise<void> {
    return fetchPage(null)
  }

  /** Adds the next older page, before the last entry shown. */
  function loadMore(): Promise<void> {
    const last = entries.value.at(-1)
    return last ? fetchPage(last.seq) : search()
  }

  /** Downloads every entry matching the filter as CSV. */
  async function exportCsv(): Promise<void> {
    try {
      const file = await api.exportAudit(query())
      saveFile(file.fileName, 'text/csv;charset=utf-8', file.csv)
      refusal.value = null
    } catch (error) {
      refusal.value = refusalOf(error)
    }
  }

  return { filter, entries, more, loaded, loading, refusal, search, loadMore, exportCsv }
})
