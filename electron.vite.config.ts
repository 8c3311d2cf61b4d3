import { createReadStream, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

/**
 * The face engine's weights and the tfjs wasm binaries, shipped inside the renderer build under
 * `face/` so the kiosk never fetches them from the network. The wasm files must be the same
 * tfjs version as the one bundled in face-api (both 4.22.0).
 */
const faceModels = ['tiny_face_detector_model', 'face_landmark_68_model', 'face_recognition_model']
const faceFiles: Record<string, string> = Object.fromEntries([
  ...faceModels.flatMap((model) =>
    [`${model}-weights_manifest.json`, `${model}.bin`].map((file) => [
      `face/models/${file}`,
      resolve('node_modules/@vladmandic/face-api/model', file),
    ]),
  ),
  ...[
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ].map((file) => [
    `face/wasm/${file}`,
    resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist', file),
  ]),
])

const faceFileTypes: Record<string, string> = {
  json: 'application/json',
  bin: 'application/octet-stream',
  wasm: 'application/wasm',
}

/** Serves the face files in `electron-vite dev` and emits them into the renderer build. */
function faceAssets(): Plugin {
  return {
    name: 'clockface-face-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = faceFiles[(req.url ?? '').split('?')[0]!.replace(/^\//, '')]
        if (!file) return next()
        res.setHeader(
          'content-type',
          faceFileTypes[file.split('.').pop()!] ?? 'application/octet-stream',
        )
        createReadStream(file).pipe(res)
      })
    },
    generateBundle() {
      for (const [fileName, file] of Object.entries(faceFiles)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) })
      }
    },
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // The snapshot worker runs in a worker thread; it must be its own file beside index.js.
          'snapshot-worker': resolve('electron/core/store/snapshot-worker.mjs'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require anything but electron: bundle everything, emit CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      // face-api with its tfjs is one 1.3 MB chunk, by design: loaded after the kiosk is up.
      chunkSizeWarningLimit: 1400,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [vue(), faceAssets()],
  },
})
