/**
 * Face check-in status and results: is the engine running (on wasm), is the camera working,
 * what the person in front of it is told. Camera streams, canvases and the engine itself live
 * in src/face/, outside reactive state; this store keeps only what the screens show.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { FaceOutcome } from '../../../electron/shared/types'
import { ClockfaceError, ErrorCode } from '../../../electron/shared/errors'
import { api } from '../bridge'
import type { CameraProblem } from '../face/camera'
import { FaceEngineError, startFaceEngine, type FaceEngine } from '../face/engine'
import type { Guidance } from '../face/guidance'
import { useAttendanceStore, type KioskNotice } from './attendance'
import { useKioskStore } from './kiosk'

export type EngineStatus = 'off' | 'starting' | 'ready' | 'failed'
export type CameraStatus = 'off' | 'starting' | 'ok' | CameraProblem

export interface EngineFailure {
  problem: 'backend' | 'models' | 'other'
  /** What tfjs ran on instead of wasm, for a backend failure. */
  backend: string
  message: string
}

export const useFaceStore = defineStore('face', () => {
  const kiosk = useKioskStore()
  const attendance = useAttendanceStore()

  const engine = ref<EngineStatus>('off')
  const engineFailure = ref<EngineFailure | null>(null)
  const backend = ref<string | null>(null)
  const simd = ref(false)
  const camera = ref<CameraStatus>('off')
  /** The live message for the person at the camera. */
  const guidance = ref<Guidance | null>(null)
  /** "Not recognised — please scan your badge" is showing. */
  const unknown = ref(false)
  /** Main refused face check-in (turned off in config): the camera stays off. */
  const refused = ref(false)

  const settings = computed(() => kiosk.info?.faces ?? null)
  const enabled = computed(() => settings.value?.enabled === true && !refused.value)
  const ready = computed(() => engine.value === 'ready' && camera.value === 'ok')

  let lastReport = ''

  /** Tells main how the camera and engine are, once both are known and whenever they change. */
  async function reportStatus(): Promise<void> {
    if (engine.value === 'starting' || engine.value === 'off') return
    if (camera.value === 'starting' || camera.value === 'off') return
    const status = camera.value === 'denied' ? 'error' : camera.value
    const engineLabel =
      engine.value === 'ready'
        ? (backend.value ?? 'wasm')
        : `failed:${engineFailure.value?.backend ?? 'none'}`
    const report = { camera: status, backend: engineLabel.slice(0, 32) }
    if (JSON.stringify(report) === lastReport) return
    lastReport = JSON.stringify(report)
    try {
      await api.reportCameraStatus(report)
    } catch {
      lastReport = ''
    }
  }

  /** Starts the shared engine (once); null when it cannot run, with the reason kept here. */
  async function startEngine(): Promise<FaceEngine | null> {
    if (engine.value === 'off') engine.value = 'starting'
    try {
      const started = await startFaceEngine()
      backend.value = started.backend
      simd.value = started.simd
      engine.value = 'ready'
      return started
    } catch (error) {
      engine.value = 'failed'
      engineFailure.value =
        error instanceof FaceEngineError
          ? { problem: error.problem, backend: error.backend, message: error.message }
          : { problem: 'other', backend: 'none', message: String(error) }
      return null
    } finally {
      void reportStatus()
    }
  }

  function setCamera(status: CameraStatus): void {
    camera.value = status
    void reportStatus()
  }

  // The same cards as a badge, through the attendance store, which clears them just the same.
  const showNotice = (notice: KioskNotice) => attendance.show(notice)

  /** Sends one descriptor to main and shows what came of it; null when the call failed. */
  async function identify(
    descriptor: number[],
    liveness: 'passed' | 'pending',
  ): Promise<FaceOutcome | null> {
    try {
      const outcome = await api.identifyFace({ descriptor, liveness })
      if (outcome.status === 'recorded') {
        const { punch, switchableUntil } = outcome
        showNotice({ kind: 'greeting', punch, switchableUntil })
      } else if (outcome.status === 'already') {
        // Seen again while their own greeting is still up (they looked away and back): the
        // greeting, with its "check out instead", stays.
        if (attendance.greeting?.punch.employeeId !== outcome.punch.employeeId) {
          showNotice({ kind: 'already', punch: outcome.punch })
        }
      }
      return outcome
    } catch (error) {
      const code = error instanceof ClockfaceError ? error.code : ErrorCode.Internal
      if (code === ErrorCode.FacesDisabled) refused.value = true
      // Identified but not recorded (the store failed, the person is inactive): say so, as for
      // a badge. Anything else is the service's trouble; the frame loop simply asks again later.
      if (code === ErrorCode.StoreFailed || code === ErrorCode.EmployeeInactive) {
        showNotice({ kind: 'refusal', code, details: (error as ClockfaceError).details ?? {} })
      }
      return null
    }
  }

  function show(next: { guidance: Guidance | null; unknown: boolean }): void {
    if (guidance.value !== next.guidance) guidance.value = next.guidance
    if (unknown.value !== next.unknown) unknown.value = next.unknown
  }

  return {
    engine,
    engineFailure,
    backend,
    simd,
    camera,
    guidance,
    unknown,
    settings,
    enabled,
    ready,
    startEngine,
    setCamera,
    identify,
    show,
  }
})
