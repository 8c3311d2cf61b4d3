/** Upload state for the status area: asked once, then kept current by pushes from main. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SyncStatus } from '../../../electron/shared/types'
import { api } from '../bridge'

export const useSyncStore = defineStore('sync', () => {
  /** Null until main has answered; the status area stays empty rather than guess. */
  const status = ref<SyncStatus | null>(null)
  const pendingUploads = computed(() => status.value?.pending ?? 0)

  let unsubscribe: (() => void) | null = null
  let pushesSeen = 0

  /** Subscribes to syncStatusChanged, then asks for the current status. */
  async function start(): Promise<void> {
    if (unsubscribe) return
    // Subscribe first so no change is missed between the question and the answer.
    unsubscribe = api.on('syncStatusChanged', (next) => {
      pushesSeen += 1
      status.value = next
    })
    const before = pushesSeen
    try {
      const current = await api.getSyncStatus()
      // A push that arrived meanwhile is newer than this answer.
      if (pushesSeen === before) status.value = current
    } catch {
      // The next push fills the status in; the kiosk still records punches meanwhile.
    }
  }

  /** Stops listening for pushes. */
  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  return { status, pendingUploads, start, stop }
})
