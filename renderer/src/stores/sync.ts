/**
 * Upload and staff-list state for the status area: asked once, then kept current by pushes from main. While it
 * runs it also tells main when the network may be back (the window went online, or the screen
 * became visible again after the machine slept), so waiting punches upload without delay.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SyncStatus } from '../../../electron/shared/types'
import { api } from '../bridge'

export type NetworkHint = 'online' | 'resume'

export const useSyncStore = defineStore('sync', () => {
  /** Null until main has answered; the status area stays empty rather than guess. */
  const status = ref<SyncStatus | null>(null)
  const pendingUploads = computed(() => status.value?.pending ?? 0)

  let unsubscribe: (() => void) | null = null
  let pushesSeen = 0
  let wasHidden = false

  /** Passes a hint on; main treats it as a reason to try now, never as proof of a network. */
  async function reportNetworkHint(kind: NetworkHint): Promise<void> {
    try {
      await api.reportNetworkHint({ kind })
    } catch {
      // Only a hint: the uploader retries on its own schedule anyway.
    }
  }

  function onOnline() {
    void reportNetworkHint('online')
  }

  function onVisibilityChange() {
    if (document.visibilityState === 'hidden') {
      wasHidden = true
    } else if (wasHidden) {
      wasHidden = false
      void reportNetworkHint('resume')
    }
  }

  /** Subscribes to syncStatusChanged and the network hints, then asks for the current status. */
  async function start(): Promise<void> {
    if (unsubscribe) return
    // Subscribe first so no change is missed between the question and the answer.
    unsubscribe = api.on('syncStatusChanged', (next) => {
      pushesSeen += 1
      status.value = next
    })
    wasHidden = document.visibilityState === 'hidden'
    window.addEventListener('online', onOnline)
    document.addEventListener('visibilitychange', onVisibilityChange)
    const before = pushesSeen
    try {
      const current = await api.getSyncStatus()
      // A push that arrived meanwhile is newer than this answer.
      if (pushesSeen === before) status.value = current
    } catch {
      // The next push fills the status in; the kiosk still records punches meanwhile.
    }
  }

  /** Stops listening for pushes and network hints. */
  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
    window.removeEventListener('online', onOnline)
    document.removeEventListener('visibilitychange', onVisibilityChange)
  }

  return { status, pendingUploads, start, stop }
})
