/** Listens for badge scans anywhere on the screen while the calling component is mounted. */
import { onMounted, onUnmounted, watch } from 'vue'
import { ScanDetector, type ScanDetectorOptions, type ScanResult } from './scan-detector'

export type BadgeReaderOptions = Omit<ScanDetectorOptions, 'now'>

/** True for fields a person types into: keys there belong to the field, not to the reader. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(target.type)
}

/**
 * Calls `onScan` with every finished reader burst. `options` is read reactively, so the lengths
 * and interval follow KioskInfo once it arrives.
 */
export function useBadgeReader(
  options: () => BadgeReaderOptions,
  onScan: (result: ScanResult) => void,
): void {
  const detector = new ScanDetector(options())
  watch(options, (next) => detector.configure(next))

  function onKeydown(event: KeyboardEvent) {
    if (isEditableTarget(event.target)) return
    if (event.repeat) {
      detector.reset()
      return
    }
    // event.timeStamp is when the key arrived, not when this handler got to run: a busy main
    // thread must not stretch a reader's burst into "human speed".
    const result = detector.press(event.key, event.timeStamp || undefined)
    if (!result) return
    // The Enter belongs to the scan: it must not also press a focused button or submit a PIN.
    event.preventDefault()
    event.stopImmediatePropagation()
    onScan(result)
  }

  onMounted(() => window.addEventListener('keydown', onKeydown, { capture: true }))
  onUnmounted(() => window.removeEventListener('keydown', onKeydown, { capture: true }))
}
