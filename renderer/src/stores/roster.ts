/** Finding a person by name or number for the PIN panel. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { EmployeeSummary } from '../../../electron/shared/types'
import { api } from '../bridge'

/** The contract refuses longer queries; nobody's name needs more to be found. */
const MAX_QUERY = 64

export const useRosterStore = defineStore('roster', () => {
  const query = ref('')
  const matches = ref<EmployeeSummary[]>([])
  const searching = ref(false)
  /** True once an answer for the current query has arrived. */
  const answered = ref(false)

  let latest = 0

  /** Looks up active people matching `text`; answers to older queries are dropped. */
  async function search(text: string): Promise<void> {
    const trimmed = text.trim().slice(0, MAX_QUERY)
    const ticket = ++latest
    query.value = trimmed
    if (!trimmed) {
      matches.value = []
      answered.value = false
      searching.value = false
      return
    }
    searching.value = true
    try {
      const found = await api.findEmployees({ query: trimmed })
      if (ticket !== latest) return
      matches.value = found
    } catch {
      if (ticket !== latest) return
      matches.value = []
    }
    answered.value = true
    searching.value = false
  }

  /** Forgets the query and its matches (the panel closed). */
  function clear(): void {
    latest += 1
    query.value = ''
    matches.value = []
    answered.value = false
    searching.value = false
  }

  return { query, matches, searching, answered, search, clear }
})
