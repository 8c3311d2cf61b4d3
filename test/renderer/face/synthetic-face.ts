/**
 * Synthetic 68-point faces for liveness tests: a rough 3D head (the nose stands out, the jaw
 * recedes) seen through a pinhole camera, and a flat photo of it that can be moved, tilted and
 * turned in front of the camera. Units: face widths; output in camera pixels.
 */
import type { Point } from '../../../renderer/src/face/liveness'
import { gaussian } from '../../fixtures/random'

export interface Point3 {
  x: number
  y: number
  z: number
}

function ellipse(count: number, cx: number, cy: number, rx: number, ry: number, z: number) {
  return Array.from({ length: count }, (_, i) => {
    const angle = Math.PI + (2 * Math.PI * i) / count
    return { x: cx + rx * Math.cos(angle), y: cy + ry * Math.sin(angle), z }
  })
}

/** A frontal head, eyes open; z points towards the camera. */
export function head(): Point3[] {
  const jaw = Array.from({ length: 17 }, (_, i) => {
    const angle = (Math.PI * i) / 16
    return {
      x: -0.5 * Math.cos(angle),
      y: 0.55 * Math.sin(angle),
      z: -0.25 * Math.abs(Math.cos(angle)),
    }
  })
  const brow = (side: number) =>
    Array.from({ length: 5 }, (_, i) => ({ x: side * (0.4 - 0.075 * i), y: -0.28, z: 0.05 }))
  const bridge = [-0.2, -0.1, 0, 0.1].map((y, i) => ({ x: 0, y, z: 0.05 + (0.2 * i) / 3 }))
  const base = [-0.08, -0.04, 0, 0.04, 0.08].map((x) => ({ x, y: 0.15, z: x === 0 ? 0.15 : 0.12 }))
  const eye = (side: number) =>
    [
      [0.3, 0],
      [0.25, -0.025],
      [0.19, -0.025],
      [0.14, 0],
      [0.19, 0.025],
      [0.25, 0.025],
    ].map(([x, dy]) => ({ x: side * x!, y: -0.15 + dy!, z: 0 }))
  // Landmark order runs left to right in the image: the right eye's points start at its inner corner.
  const left = eye(-1)
  const right = eye(1)
  const rightOrdered = [right[3]!, right[2]!, right[1]!, right[0]!, right[5]!, right[4]!]
  return [
    ...jaw,
    ...brow(-1),
    ...brow(1).reverse(),
    ...bridge,
    ...base,
    ...left,
    ...rightOrdered,
    ...ellipse(12, 0, 0.3, 0.18, 0.06, 0.1),
    ...ellipse(8, 0, 0.3, 0.12, 0.02, 0.1),
  ]
}

/** Moves the eyelid points towards the middle of each eye: 0 open, 1 shut. */
export function closeEyes(
  points: Point3[],
  amount: number,
  eyes: 'both' | 'left' = 'both',
): Point3[] {
  const lids = eyes === 'both' ? [37, 38, 40, 41, 43, 44, 46, 47] : [37, 38, 40, 41]
  return points.map((point, i) =>
    lids.includes(i) ? { ...point, y: point.y + (-0.15 - point.y) * amount } : point,
  )
}

/** The same head, flattened: what a printed photo of it is. */
export function photoOf(points: Point3[]): Point3[] {
  return points.map((point) => ({ ...point, z: 0 }))
}

export interface Pose {
  /** Turn about the vertical axis, degrees (positive: the face's left side comes forward). */
  yaw?: number
  /** Nod about the horizontal axis, degrees. */
  pitch?: number
  /** Roll in the image plane, degrees. */
  roll?: number
  /** Face width in pixels at the frame centre. */
  size?: number
  /** Distance from the camera, in face widths (small: strong perspective). */
  distance?: number
  offsetX?: number
  offsetY?: number
}

const radians = (degrees = 0) => (degrees * Math.PI) / 180

/** Where the camera sees the points when the head (or photo) is in `pose`. */
export function project(points: Point3[], pose: Pose = {}): Point[] {
  const [a, b, c] = [radians(pose.yaw), radians(pose.pitch), radians(pose.roll)]
  const size = pose.size ?? 160
  const distance = pose.distance ?? 6
  return points.map(({ x, y, z }) => {
    const x1 = x * Math.cos(a) + z * Math.sin(a)
    const z1 = -x * Math.sin(a) + z * Math.cos(a)
    const y2 = y * Math.cos(b) - z1 * Math.sin(b)
    const z2 = y * Math.sin(b) + z1 * Math.cos(b)
    const x3 = x1 * Math.cos(c) - y2 * Math.sin(c)
    const y3 = x1 * Math.sin(c) + y2 * Math.cos(c)
    const scale = (size * distance) / (distance - z2)
    return { x: 320 + (pose.offsetX ?? 0) + x3 * scale, y: 240 + (pose.offsetY ?? 0) + y3 * scale }
  })
}

/** A seeded random source, so every run sees the same noise. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** Adds Gaussian jitter of `sigma` pixels to every point, as a real detector does. */
export function jitter(points: Point[], sigma: number, random: () => number): Point[] {
  return points.map((point) => ({
    x: point.x + gaussian(random) * sigma,
    y: point.y + gaussian(random) * sigma,
  }))
}
