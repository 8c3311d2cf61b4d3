/**
 * Per-frame cost of each face model in Node on the tfjs wasm backend: detection, landmarks and
 * one descriptor on 640 × 480 camera frames cut from the real video in ../shared/faces/video
 * (640 × 360, letter-boxed in grey as a 4:3 camera would frame it), and the size of the nets.
 */
import { execFileSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { tf } from '@vladmandic/face-api'
import { loadFaceEngine } from '../electron/cli/faces/face-engine'
import {
  describeAligned,
  describeWithHuman,
  humanModelFolder,
  loadHumanEngine,
  type FaceresView,
} from '../electron/cli/faces/human-engine'
import { stillTensor } from '../electron/cli/faces/still-photo'
import { analyseFrame } from '../electron/shared/face'

export type FaceModel = 'face-api' | `faceres-${FaceresView}`

const width = 640
const height = 480
const warmup = 3

/** `count` 640 × 480 RGB frames spread evenly over the clip (decoded by ffmpeg). */
export function cameraFrames(video: string, count: number, seconds = 10): Buffer[] {
  const raw = execFileSync(
    'ffmpeg',
    [
      ['-loglevel', 'error', '-i', video],
      ['-vf', `fps=${count / seconds},scale=${width}:-2,pad=${width}:${height}:-1:-1:gray`],
      ['-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    ].flat(),
    { maxBuffer: count * width * height * 3 + 1024 },
  )
  const size = width * height * 3
  return Array.from({ length: Math.floor(raw.length / size) }, (_, k) =>
    raw.subarray(k * size, (k + 1) * size),
  )
}

/**
 * Median ms per frame for each model, over the frames where it gave a descriptor. The models
 * take turns on every frame, so that a busy machine slows them all alike.
 */
export async function msPerFrame(
  models: FaceModel[],
  frames: Buffer[],
): Promise<Map<FaceModel, { median: number; described: number }>> {
  const faceapi = await loadFaceEngine()
  const human = await loadHumanEngine()
  const describe = async (model: FaceModel, frame: tf.Tensor3D): Promise<boolean> => {
    if (model === 'faceres-human') return (await describeWithHuman(human, frame)) !== null
    const { face } = await analyseFrame(faceapi, frame, { descriptor: model === 'face-api' })
    if (!face) return false
    if (model === 'faceres-aligned') await describeAligned(human, faceapi, frame, face.alignedBox)
    return true
  }
  const times = new Map<FaceModel, number[]>(models.map((model) => [model, []]))
  for (const [k, pixels] of frames.entries()) {
    const frame = stillTensor(faceapi, { data: pixels, width, height })
    try {
      for (const model of models) {
        const started = performance.now()
        const described = await describe(model, frame)
        if (described && k >= warmup) times.get(model)!.push(performance.now() - started)
      }
    } finally {
      frame.dispose()
    }
  }
  return new Map(
    [...times].map(([model, ms]) => {
      ms.sort((a, b) => a - b)
      return [model, { median: ms[Math.floor(ms.length / 2)] ?? NaN, described: ms.length }]
    }),
  )
}

const faceApiNets = [
  'tiny_face_detector_model',
  'face_landmark_68_model',
  'face_recognition_model',
].flatMap((net) => [`${net}-weights_manifest.json`, `${net}.bin`])
const humanNetFiles = (nets: string[]) => nets.flatMap((net) => [`${net}.json`, `${net}.bin`])

/** Megabytes of the nets a model runs, as they lie in their npm packages. */
export function modelMegabytes(model: FaceModel, faceApiModelFolder: string): number {
  const sum = (folder: string, files: string[]) =>
    files.reduce((bytes, file) => bytes + statSync(join(folder, file)).size, 0)
  const faceApi = sum(faceApiModelFolder, faceApiNets)
  const bytes =
    model === 'face-api'
      ? faceApi
      : model === 'faceres-human'
        ? sum(humanModelFolder, humanNetFiles(['blazeface', 'facemesh', 'faceres']))
        : sum(faceApiModelFolder, faceApiNets.slice(0, 4)) +
          sum(humanModelFolder, humanNetFiles(['faceres']))
  return Math.round(bytes / 1e5) / 10
}
