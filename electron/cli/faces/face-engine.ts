/**
 * face-api in plain Node for the CLI: the node-wasm build on the tfjs `wasm` backend (the same
 * backend as the kiosk screen; tfjs-node is not used), nets loaded from the package's own
 * model folder on disk, never from the network.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js'
import { requiredNets, type DetectorSettings, type FaceApi } from '../../shared/face'

/** The parts of the tfjs runtime that face-api's typings leave out. */
interface TfRuntime {
  setWasmPaths(paths: Record<string, string>): void
  setBackend(name: string): Promise<boolean>
  ready(): Promise<void>
  getBackend(): string
}

const require = createRequire(import.meta.url)
const wasmFiles = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
]
const loaded = new Map<string, Promise<FaceApi>>()
let backend: Promise<void> | undefined

/** face-api with the wasm backend running and the nets for `detector` loaded (once per process). */
export function loadFaceEngine(detector?: DetectorSettings): Promise<FaceApi> {
  const key = detector?.kind ?? 'default'
  let engine = loaded.get(key)
  if (!engine) {
    engine = start(detector)
    loaded.set(key, engine)
    engine.catch(() => loaded.delete(key))
  }
  return engine
}

async function start(detector?: DetectorSettings): Promise<FaceApi> {
  const api = faceapi as unknown as FaceApi
  backend ??= startWasm(api.tf as unknown as TfRuntime)
  await backend
  const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model')
  for (const net of requiredNets(api, detector)) {
    if (!net.isLoaded) await net.loadFromDisk(models)
  }
  return api
}

// Set explicitly: asking tfjs for its backend first would start whichever it prefers.
async function startWasm(tf: TfRuntime): Promise<void> {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))
  tf.setWasmPaths(Object.fromEntries(wasmFiles.map((file) => [file, join(dist, file)])))
  const ok = await tf.setBackend('wasm')
  await tf.ready()
  if (!ok || tf.getBackend() !== 'wasm') {
    throw new Error(
      `face engine: the tfjs wasm backend did not start (backend is "${tf.getBackend()}")`,
    )
  }
}
