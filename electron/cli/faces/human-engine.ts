/**
 * A second face-description model for measurement beside face-api: the FaceRes net of
 * `@vladmandic/human` (1024 numbers a face), in plain Node on the same tfjs wasm backend and
 * the same tfjs copy as face-api, nets read from the package's own model folder on disk.
 *
 * A photo goes through the same still-photo preparation and face-api's detection, landmarks
 * and quality gate first, so both models are judged on the same usable faces. Then FaceRes
 * sees the face one of two ways (`view`):
 * - `human`: Human's own pipeline on the same frame (BlazeFace, face mesh, its own upright
 *   crop), the way the model was trained to be fed;
 * - `aligned`: face-api's aligned face box, the very crop face-api's own net reads.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Config, FaceResult, Human } from '@vladmandic/human'
import type { tf } from '@vladmandic/face-api'
import { analyseFrame, type FaceApi, type FaceBox } from '../../shared/face'
import { allowDiskModels, diskScheme } from './disk-models'
import type { Acquire, Acquired } from './evaluate'
import { loadFaceEngine } from './face-engine'
import { decodeStill, frameStill, framings, stillTensor, type RgbImage } from './still-photo'

/** How FaceRes is shown the face: Human's own crop, or face-api's aligned crop. */
export type FaceresView = 'human' | 'aligned'

const require = createRequire(import.meta.url)
// The package's exports map names neither package.json nor a usable node-wasm entry.
const humanPackage = dirname(dirname(require.resolve('@vladmandic/human')))
/** Where the second model's nets are read from: the npm package's own folder. */
export const humanModelFolder = join(humanPackage, 'models')
/** The nets the second engine runs: detector, face mesh, face description. */
export const humanNets = ['blazeface', 'facemesh', 'faceres'] as const

const wasmFolder = dirname(
  require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
)
const off = { enabled: false }
const every = { skipFrames: 0, skipTime: 0 }
const settings: Partial<Config> = {
  backend: 'wasm',
  wasmPath: `${wasmFolder}/`,
  modelBasePath: `${diskScheme}${humanModelFolder}/`,
  cacheModels: false,
  warmup: 'none',
  async: false,
  cacheSensitivity: 0,
  skipAllowed: false,
  debug: false,
  filter: off,
  gesture: off,
  body: off,
  hand: off,
  object: off,
  segmentation: off,
  face: {
    enabled: true,
    detector: { rotation: true, maxDetected: 5, ...every },
    mesh: { enabled: true },
    iris: off,
    emotion: off,
    description: { enabled: true, ...every },
    antispoof: off,
    liveness: off,
  },
}

let engine: Promise<Human> | undefined

/** Human on the wasm backend with its three face nets loaded from disk (once per process). */
export function loadHumanEngine(): Promise<Human> {
  engine ??= startHuman()
  engine.catch(() => (engine = undefined))
  return engine
}

async function startHuman(): Promise<Human> {
  // face-api starts the shared tfjs on wasm first; Human then finds the backend it asks for.
  const faceapi = await loadFaceEngine()
  allowDiskModels(faceapi.tf)
  const { Human: HumanClass } = require(join(humanPackage, 'dist/human.node-wasm.js')) as {
    Human: new (config: Partial<Config>) => Human
  }
  const human = new HumanClass(settings)
  await human.load()
  // Human logs a net it could not read and goes on without it; only its stats say so.
  const loaded = human.models.stats().modelStats.filter((net) => net.loaded)
  const missing = humanNets.filter((net) => !loaded.some((l) => l.name === net))
  if (missing.length > 0) throw new Error(`human engine: nets not loaded: ${missing.join(', ')}`)
  const backend = (faceapi.tf as unknown as { getBackend(): string }).getBackend()
  if (backend !== 'wasm') throw new Error(`human engine: tfjs backend is "${backend}", not wasm`)
  return human
}

const acquired = new Map<string, Promise<Acquired>>()

/** An `Acquire` for `evaluateFaces`: photos read by FaceRes, faces gated as the kiosk gates them. */
export function faceresAcquire(
  faceapi: FaceApi,
  minFaceSizePx: number,
  view: FaceresView = 'human',
): Acquire {
  return (file) => acquireWithHuman(faceapi, file, minFaceSizePx, view)
}

/** Like `acquire()` of evaluate.ts, with FaceRes's unit-length 1024-number descriptor. */
export function acquireWithHuman(
  faceapi: FaceApi,
  file: string,
  minFaceSizePx: number,
  view: FaceresView = 'human',
): Promise<Acquired> {
  const key = `${view}:${minFaceSizePx}:${file}`
  let result = acquired.get(key)
  if (!result) {
    result = acquireOnce(faceapi, file, minFaceSizePx, view)
    acquired.set(key, result)
  }
  return result
}

async function acquireOnce(
  faceapi: FaceApi,
  file: string,
  minFaceSizePx: number,
  view: FaceresView,
): Promise<Acquired> {
  const human = await loadHumanEngine()
  let image: RgbImage
  try {
    image = await decodeStill(file)
  } catch {
    return { problem: 'unreadable' }
  }
  // The same framings, in the same order, as analyseStill(): the next only if no face was seen.
  for (const border of framings(image)) {
    const frame = stillTensor(faceapi, await frameStill(image, border))
    try {
      const quality = { minFaceSizePx, maxCentreOffset: null }
      const { face, faceCount } = await analyseFrame(faceapi, frame, { quality })
      if (!face) continue
      if (!face.quality.ok) return { problem: face.quality.problems }
      const descriptor =
        view === 'human'
          ? await describeWithHuman(human, frame, face.box)
          : await describeAligned(human, faceapi, frame, face.alignedBox)
      return descriptor ? { descriptor, faceCount, quality: face.quality } : { problem: 'no-face' }
    } finally {
      frame.dispose()
    }
  }
  return { problem: 'no-face' }
}

/** FaceRes through Human's own pipeline: the face Human finds at face-api's face, or null. */
export async function describeWithHuman(
  human: Human,
  frame: tf.Tensor3D,
  near?: FaceBox,
): Promise<Float32Array | null> {
  const result = await human.detect(frame as never)
  const faces = result.face.filter((f) => f.embedding?.length && (!near || centredIn(f, near)))
  const largest = faces.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0]
  return largest ? unitLength(largest.embedding!) : null
}

/** FaceRes on face-api's aligned face box, resized to the net's 224 × 224 input. */
export async function describeAligned(
  human: Human,
  faceapi: FaceApi,
  frame: tf.Tensor3D,
  aligned: FaceBox,
): Promise<Float32Array> {
  const t = faceapi.tf
  const net = human.models.models.faceres!
  const [height, width] = frame.shape
  const box = [
    aligned.y / height,
    aligned.x / width,
    (aligned.y + aligned.height) / height,
    (aligned.x + aligned.width) / width,
  ]
  const outputs = t.tidy(() => {
    const batch = t.expandDims(t.cast(frame, 'float32'), 0) as tf.Tensor4D
    // FaceRes reads 0–255 floats (Human multiplies its 0–1 crops by 255 before the net).
    const chip = t.image.cropAndResize(batch, [box], [0], [224, 224])
    return net.execute(chip as never) as unknown as tf.Tensor[]
  })
  try {
    const embedding = outputs.find((o) => o.shape[1] === 1024)
    if (!embedding) throw new Error('human engine: FaceRes gave no 1024-number output')
    return unitLength(await embedding.data())
  } finally {
    for (const output of outputs) output.dispose()
  }
}

function centredIn(face: FaceResult, box: FaceBox): boolean {
  const [x, y, w, h] = face.box
  const cx = x + w / 2
  const cy = y + h / 2
  return cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height
}

// Unit length, so that the Euclidean distance of two descriptors is a cosine distance.
function unitLength(values: ArrayLike<number>): Float32Array {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]! ** 2
  const norm = Math.sqrt(sum) || 1
  return Float32Array.from(values, (v) => v / norm)
}
