/** Where the built app's files are, relative to the built main script in out/main. */
import { join } from 'node:path'

export interface BuiltFiles {
  preload: string
  /** The built renderer folder, served at app://clockface/. */
  renderer: string
  snapshotWorker: string
}

/** The built preload, renderer folder and snapshot worker beside `mainDir` (out/main). */
export function builtFiles(mainDir: string): BuiltFiles {
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    renderer: join(mainDir, '..', 'renderer'),
    snapshotWorker: outsideAsar(join(mainDir, 'snapshot-worker.js')),
  }
}

/**
 * The same path in app.asar.unpacked: electron-builder unpacks the worker (see asarUnpack)
 * because worker threads cannot reliably load scripts from inside an asar archive.
 */
export function outsideAsar(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}
