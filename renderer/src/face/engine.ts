/**
 * The face engine: face-api on the tfjs wasm backend, its models read from the app's own files,
 * warmed up once. Started once per page; the kiosk and the enrolment screen share it. A backend
 * other than wasm is an error, never a silent tenfold slowdown.
 */
import { appFileUrl, readAppFile, readAppJson } from './app-files'

export type FaceApi = typeof import('@vladmandic/face-api')

/** The parts of the bundled tfjs that face-api's typings leave out. */
interface TfRuntime {
  setWasmPaths(paths: Record<string, string>): void
  setBackend(name: string): Promise<boolean>
  getBackend(): string | undefined
  ready(): Promise<void>
  env(): { getAsync(flag: string): Promise<unknown> }
  io: { decodeWeights(data: ArrayBuffer, specs: unknown[]): Record<string, unknown> }
}

interface WeightsGroup {
  paths: string[]
  weights: unknown[]
}

export type EngineProblem = 'backend' | 'models'

/** Why the engine could not start; `backend` names what tfjs fell back to, if anything. */
export class FaceEngineError extends Error {
  constructor(
    readonly problem: EngineProblem,
    readonly backend: string,
    message: string,
  ) {
    super(message)
    this.name = 'FaceEngineError'
  }
}

export interface FaceEngine {
  faceapi: FaceApi
  /** Always 'wasm': anything else fails the start. */
  backend: string
  /** Whether the wasm build with SIMD runs (about twice as fast as without). */
  simd: boolean
}

const wasmFiles = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
]

/** The nets the pipeline uses, by face-api net name and model file prefix. */
const models = {
  tinyFaceDetector: 'tiny_face_detector_model',
  faceLandmark68Net: 'face_landmark_68_model',
  faceRecognitionNet: 'face_recognition_model',
} as const

async function selectWasmBackend(tf: TfRuntime): Promise<boolean> {
  tf.setWasmPaths(Object.fromEntries(wasmFiles.map((f) => [f, appFileUrl(`face/wasm/${f}`)])))
  // Without 'wasm-unsafe-eval' in the CSP, or without the wasm files, this resolves false and
  // tfjs quietly picks another backend: the caller checks what it got.
  const selected = await tf.setBackend('wasm').catch(() => false)
  await tf.ready().catch(() => undefined)
  if (!selected || tf.getBackend() !== 'wasm') {
    const got = tf.getBackend() ?? 'none'
    throw new FaceEngineError('backend', got, `tfjs wasm backend did not start (got ${got})`)
  }
  return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true
}

async function loadModel(faceapi: FaceApi, tf: TfRuntime, net: keyof typeof models) {
  const base = appFileUrl('face/models/')
  const manifest = await readAppJson<WeightsGroup[]>(`${base}${models[net]}-weights_manifest.json`)
  const weightMap: Record<string, unknown> = {}
  for (const group of manifest) {
    const parts = await Promise.all(group.paths.map((path) => readAppFile(base + path)))
    const bytes = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0))
    parts.reduce(
      (offset, part) => (bytes.set(new Uint8Array(part), offset), offset + part.byteLength),
      0,
    )
    Object.assign(weightMap, tf.io.decodeWeights(bytes.buffer, group.weights))
  }
  faceapi.nets[net].loadFromWeightMap(
    weightMap as Parameters<(typeof faceapi.nets)[typeof net]['loadFromWeightMap']>[0],
  )
}

/** Runs every net once on blank input, so the first real face is not slowed by first-run setup. */
async function warmUp(faceapi: FaceApi): Promise<void> {
  const blank = (width: number, height: number) => {
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    return canvas
  }
  await faceapi.nets.tinyFaceDetector.locateFaces(
    blank(640, 480),
    new faceapi.TinyFaceDetectorOptions(),
  )
  await faceapi.nets.faceLandmark68Net.detectLandmarks(blank(112, 112))
  await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(blank(150, 150))
}

async function boot(): Promise<FaceEngine> {
  const faceapi = await import('@vladmandic/face-api')
  const tf = faceapi.tf as unknown as TfRuntime
  const simd = await selectWasmBackend(tf)
  try {
    await Promise.all(
      (Object.keys(models) as (keyof typeof models)[]).map((net) => loadModel(faceapi, tf, net)),
    )
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new FaceEngineError('models', 'wasm', `face models could not be loaded: ${reason}`)
  }
  await warmUp(faceapi)
  return { faceapi, backend: tf.getBackend() ?? 'wasm', simd }
}

let started: Promise<FaceEngine> | null = null

/** Starts the engine once; later calls share the same start (or its failure). */
export function startFaceEngine(): Promise<FaceEngine> {
  started ??= boot()
  return started
}
