/**
 * Head pose from the 68 landmarks, good enough to ask "please look at the camera". The face is
 * first turned upright along the eye line (roll), then yaw comes from where the nose tip sits
 * between the two cheek outlines and pitch from where it sits between the eyes and the mouth.
 */
import type { Point } from './types'

export interface HeadPose {
  yaw: number
  pitch: number
  roll: number
}

// Nose tip height between eye line (0) and mouth (1) on frontal faces, and how far the tip
// stands out of the eye–mouth plane relative to the eye–mouth distance (both measured on
// the frontal photos of ../shared/faces).
const NEUTRAL_NOSE_HEIGHT = 0.55
const NOSE_DEPTH = 0.45

const degrees = (radians: number) => (radians * 180) / Math.PI
const clamp = (value: number) => Math.max(-1, Math.min(1, value))

function centroid(points: Point[], from: number, to: number): Point {
  let x = 0
  let y = 0
  for (let i = from; i < to; i++) {
    x += points[i]!.x
    y += points[i]!.y
  }
  return { x: x / (to - from), y: y / (to - from) }
}

/** Yaw, pitch and roll in degrees (0 = looking straight at the camera) from 68 landmarks. */
export function estimatePose(landmarks: Point[]): HeadPose {
  if (landmarks.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks.length}`)
  const leftEye = centroid(landmarks, 36, 42)
  const rightEye = centroid(landmarks, 42, 48)
  const roll = Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x)
  const origin = { x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2 }
  const cos = Math.cos(-roll)
  const sin = Math.sin(-roll)
  const upright = (p: Point): Point => ({
    x: (p.x - origin.x) * cos - (p.y - origin.y) * sin,
    y: (p.x - origin.x) * sin + (p.y - origin.y) * cos,
  })
  const nose = upright(landmarks[30]!)
  const leftCheek = upright(centroid(landmarks, 1, 3))
  const rightCheek = upright(centroid(landmarks, 14, 16))
  const mouth = upright(centroid(landmarks, 48, 68))
  // On a roughly cylindrical head the nose tip moves by sin(yaw) of the half-width.
  const width = rightCheek.x - leftCheek.x
  const yaw =
    width > 0 ? degrees(Math.asin(clamp((2 * nose.x - leftCheek.x - rightCheek.x) / width))) : 90
  const noseHeight = mouth.y > 0 ? nose.y / mouth.y : NEUTRAL_NOSE_HEIGHT
  const pitch = degrees(Math.atan((NEUTRAL_NOSE_HEIGHT - noseHeight) / NOSE_DEPTH))
  return { yaw, pitch, roll: degrees(roll) }
}
