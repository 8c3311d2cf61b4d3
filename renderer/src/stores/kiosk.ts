/** Who and where this kiosk is (KioskInfo), whether the screen can start, and the ticking clock. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { KioskInfo, Language } from '../../../electron/shared/types'
import type { ClockfaceError } from '../../../electron/shared/errors'
import { api } from '../bridge'

export type Readiness = 'loading' | 'ready' | 'failed'

/** Until KioskInfo arrives (or if it never does), speak the language the browser prefers. */
function preferredLanguage(): Language {
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

const FALLBACK_BADGE = { minLength: 4, maxLength: 32, maxKeyIntervalMs: 50 }

export const useKioskStore = defineStore('kiosk', () => {
  const info = ref<KioskInfo | null>(null)
  const readiness = ref<Readiness>('loading')
  const loadError = ref<ClockfaceError | null>(null)
  /** Wall clock in ms since the epoch, refreshed every second while the clock runs. */
  const now = ref(Date.now())

  const language = computed<Language>(() => info.value?.language ?? preferredLanguage())
  const timeZone = computed(
    () => info.value?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  )
  const siteName = computed(() => info.value?.site.name ?? '')
  const badge = computed(() => info.value?.badge ?? FALLBACK_BADGE)
  /** How long a greeting or message stays on screen, ms. */
  const greetingMs = computed(() => (info.value?.greetingSeconds ?? 5) * 1000)

  /** Asks main who this kiosk is; on failure the screen shows why and `load` may be retried. */
  async function load(): Promise<void> {
    if (readiness.value !== 'failed') readiness.value = 'loading'
    try {
      info.value = await api.getKioskInfo()
      loadError.value = null
      readiness.value = 'ready'
    } catch (error) {
      loadError.value = error as ClockfaceError
      readiness.value = 'failed'
    }
  }

  let tick: ReturnType<typeof setInterval> | undefined

  /** Starts the one-second tick behind the idle clock and "switch instead" deadlines. */
  function startClock(): void {
    stopClock()
    now.value = Date.now()
    tick = setInterval(() => (now.value = Date.now()), 1000)
  }

  function stopClock(): void {
    if (tick !== undefined) clearInterval(tick)
    tick = undefined
  }

  return {
    info,
    readiness,
    loadError,
    now,
    language,
    timeZone,
    siteName,
    badge,
    greetingMs,
    load,
    startClock,
    stopClock,
  }
})
