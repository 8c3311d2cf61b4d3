/**
 * Performance timeline entries for the face pipeline, readable by the browser's profiler and by
 * anything observing `performance` (the benchmark does): per-frame analysis and descriptor time, and the time
 * from a face first appearing to the kiosk knowing who it is.
 */

/** The fast path of one frame: detection, landmarks and the quality gate. */
export const FRAME_MEASURE = 'clockface:face-frame'
/** One descriptor, computed for a steady, good face on top of the fast path. */
export const DESCRIPTOR_MEASURE = 'clockface:face-descriptor'
/** From the first frame showing a face to the punch (or "already") answer. */
export const WALK_UP_MEASURE = 'clockface:face-walk-up'
/** From the first frame showing a face to main naming the person and asking for liveness. */
export const NEEDS_LIVENESS_MEASURE = 'clockface:face-needs-liveness'
/** From main asking for liveness to the kiosk showing which movement it wants. */
export const LIVENESS_PROMPT_MEASURE = 'clockface:face-liveness-prompt'
/** From the first frame showing a face to this track's liveness passing. */
export const LIVENESS_PASSED_MEASURE = 'clockface:face-liveness-passed'

const allMeasures = [
  FRAME_MEASURE,
  DESCRIPTOR_MEASURE,
  WALK_UP_MEASURE,
  NEEDS_LIVENESS_MEASURE,
  LIVENESS_PROMPT_MEASURE,
  LIVENESS_PASSED_MEASURE,
]

// The timeline keeps every entry; a kiosk runs for weeks, so old ones are dropped now and then.
const keepAtMost = 500
let recorded = 0

/** Adds a measure from `start` (performance.now()) to now. */
export function measureSince(name: string, start: number): void {
  performance.measure(name, { start, end: performance.now() })
  recorded += 1
  if (recorded >= keepAtMost) {
    recorded = 0
    for (const measure of allMeasures) {
      performance.clearMeasures(measure)
    }
  }
}
