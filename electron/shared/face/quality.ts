/**
 * The quality gate: one set of limits for enrolment and for identification, so that a face
 * good enough to be stored is judged the same way as a face at the door.
 */
import type { HeadPose } from './pose'
import type { FacePixels } from './pixels'
import type { FaceBox, FaceQuality, QualityLimits, QualityProblem } from './types'

/**
 * Defaults measured on ../shared/faces and on blurred, darkened and brightened copies of it:
 * descriptors drift ~0.2 (of a 0.5 threshold) at the sharpness and brightness limits, while
 * every real photo there stays inside them. Pose limits keep the head within ~45° of frontal
 * sideways and ~35° up or down: the landmark pose is rough, and the descriptor (with its mirror
 * image) still holds there. Measured by person-level cross-validation (`faces eval`), widening
 * them from 35°/25° let two more photos be read and cut FNIR from 3.2% to 2.3% with no stranger
 * matched more often.
 */
export const defaultQualityLimits: QualityLimits = {
  minFaceSizePx: 80,
  maxYawDeg: 45,
  maxPitchDeg: 35,
  minBrightness: 45,
  maxBrightness: 205,
  minSharpness: 15,
  maxCentreOffset: 0.6,
}

/** Judges a face from its box, pose and pixels against the limits. */
export function judgeQuality(
  box: FaceBox,
  frame: { width: number; height: number },
  pose: HeadPose,
  pixels: FacePixels,
  limits: QualityLimits,
): FaceQuality {
  const centreOffset = Math.max(
    Math.abs(box.x + box.width / 2 - frame.width / 2) / (frame.width / 2),
    Math.abs(box.y + box.height / 2 - frame.height / 2) / (frame.height / 2),
  )
  const problems: QualityProblem[] = []
  if (box.width < limits.minFaceSizePx) problems.push('too-small')
  if (Math.abs(pose.yaw) > limits.maxYawDeg || Math.abs(pose.pitch) > limits.maxPitchDeg) {
    problems.push('not-frontal')
  }
  if (pixels.sharpness < limits.minSharpness) problems.push('blurry')
  if (pixels.brightness < limits.minBrightness) problems.push('too-dark')
  if (pixels.brightness > limits.maxBrightness) problems.push('too-bright')
  if (limits.maxCentreOffset !== null && centreOffset > limits.maxCentreOffset) {
    problems.push('off-centre')
  }
  return {
    ok: problems.length === 0,
    problems,
    ...pose,
    ...pixels,
    sizePx: box.width,
    centreOffset,
  }
}
