/**
 * Brightness and sharpness of a face, measured with tf ops so that the renderer (browser build)
 * and the CLI (node-wasm build) get the same numbers from the same pixels.
 */
import type { tf } from '@vladmandic/face-api'
import type { FaceApi, FaceBox } from './types'

/** Side of the square the face is resampled to: near the descriptor net's own 150 px input. */
const SIDE = 96
const LUMA = [0.299, 0.587, 0.114]
const LAPLACIAN = [0, 1, 0, 1, -4, 1, 0, 1, 0]

export interface FacePixels {
  /** Mean luma, 0–255. */
  brightness: number
  /** Variance of the Laplacian of the luma. */
  sharpness: number
}

/** Measures the face region of an RGB frame tensor [height, width, 3]. */
export async function measureFacePixels(
  faceapi: FaceApi,
  frame: tf.Tensor3D,
  region: FaceBox,
): Promise<FacePixels> {
  const t = faceapi.tf
  const [height, width] = frame.shape
  const y1 = clamp01(region.y / height)
  const x1 = clamp01(region.x / width)
  const y2 = clamp01((region.y + region.height) / height)
  const x2 = clamp01((region.x + region.width) / width)
  const [luma, edges] = t.tidy(() => {
    const batch = t.expandDims(t.cast(frame, 'float32'), 0) as tf.Tensor4D
    const crop = t.image.cropAndResize(batch, [[y1, x1, y2, x2]], [0], [SIDE, SIDE])
    const gray = t.conv2d(crop, t.tensor4d(LUMA, [1, 1, 3, 1]), 1, 'valid')
    const laplacian = t.conv2d(gray, t.tensor4d(LAPLACIAN, [3, 3, 1, 1]), 1, 'valid')
    return [gray, laplacian]
  })
  try {
    const [grayValues, edgeValues] = await Promise.all([luma.data(), edges.data()])
    return { brightness: mean(grayValues), sharpness: variance(edgeValues) }
  } finally {
    luma.dispose()
    edges.dispose()
  }
}

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, value))
}

function mean(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]!
  return values.length > 0 ? sum / values.length : 0
}

function variance(values: ArrayLike<number>): number {
  const m = mean(values)
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += (values[i]! - m) ** 2
  return values.length > 0 ? sum / values.length : 0
}
