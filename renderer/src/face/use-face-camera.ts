/**
 * Runs the camera and the frame loop for one screen while it is mounted: opens the configured
 * camera, starts the shared engine, feeds frames to the screen's consumer, and reopens the
 * camera by itself after it was unplugged or busy. Nothing here is reactive state.
 */
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { useFaceStore } from '../stores/face'
import { CameraError, closeCamera, openCamera } from './camera'
import { FrameLoop, type FrameConsumer } from './frame-loop'
import { createPipeline } from './pipeline'

/** How long to wait before trying a missing or failed camera again, ms. */
const retryCameraMs = 10_000

export function useFaceCamera(video: Ref<HTMLVideoElement | null>, consumer: () => FrameConsumer) {
  const face = useFaceStore()
  let stream: MediaStream | null = null
  let loop: FrameLoop | null = null
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let mounted = false

  function stopCamera(): void {
    loop?.stop()
    loop = null
    closeCamera(stream)
    stream = null
    if (video.value) video.value.srcObject = null
  }

  function retryLater(): void {
    if (retryTimer !== undefined) clearTimeout(retryTimer)
    retryTimer = setTimeout(() => void start(), retryCameraMs)
  }

  function onTrackEnded(): void {
    stopCamera()
    face.setCamera('error')
    retryLater()
  }

  async function openStream(): Promise<boolean> {
    face.setCamera('starting')
    try {
      const opened = await openCamera(face.settings?.camera ?? null)
      if (!mounted || !video.value) {
        closeCamera(opened)
        return false
      }
      stream = opened
      opened.getVideoTracks()[0]?.addEventListener('ended', onTrackEnded)
      video.value.srcObject = opened
      await video.value.play().catch(() => undefined)
      face.setCamera('ok')
      return true
    } catch (error) {
      face.setCamera(error instanceof CameraError ? error.problem : 'error')
      retryLater()
      return false
    }
  }

  async function start(): Promise<void> {
    if (!mounted || !face.enabled || stream) return
    const engine = face.startEngine()
    if (!(await openStream())) return
    const started = await engine
    if (!started || !mounted || !stream || !video.value || !face.settings) return
    loop = new FrameLoop(video.value, createPipeline(started, face.settings), consumer())
    loop.start()
  }

  // A camera plugged in while the kiosk runs is picked up without a restart.
  function onDeviceChange(): void {
    if (!stream) void start()
  }

  onMounted(() => {
    mounted = true
    navigator.mediaDevices?.addEventListener?.('devicechange', onDeviceChange)
    void start()
  })
  onBeforeUnmount(() => {
    mounted = false
    if (retryTimer !== undefined) clearTimeout(retryTimer)
    navigator.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange)
    stopCamera()
    // The camera status stays as last seen: the admin screen reports it after the kiosk closed it.
    face.show({ guidance: null, unknown: false })
  })
}
