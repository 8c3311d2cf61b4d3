/**
 * tfjs graph models read straight from files, for Node without tfjs-node: tfjs-core alone has
 * no `file://` loader and Node's fetch refuses file URLs, so `disk://<absolute model.json>` is
 * answered here from the disk, and nothing is ever fetched.
 */
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { tf } from '@vladmandic/face-api'

export const diskScheme = 'disk://'

interface ModelJson {
  modelTopology: object
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
  format?: string
  generatedBy?: string
  convertedBy?: string | null
  signature?: object
  userDefinedMetadata?: Record<string, object>
  modelInitializer?: object
}

const registered = new WeakSet<object>()

/** Registers the `disk://` loader with this tfjs once; models then load by absolute path. */
export function allowDiskModels(tfjs: typeof tf): void {
  if (registered.has(tfjs.io)) return
  registered.add(tfjs.io)
  const route = (url: string | string[]): tf.io.IOHandler | null => {
    const target = Array.isArray(url) ? url[0] : url
    if (typeof target !== 'string' || !target.startsWith(diskScheme)) return null
    return { load: () => readModel(target.slice(diskScheme.length)) }
  }
  // tfjs asks every router and takes the non-null answers; its typing leaves null out.
  tfjs.io.registerLoadRouter(route as Parameters<typeof tfjs.io.registerLoadRouter>[0])
}

/** A model.json and its weight files, as tfjs model artifacts; throws naming the file. */
export async function readModel(file: string): Promise<tf.io.ModelArtifacts> {
  const model = (await readOrSay(file, () => readFile(file, 'utf8').then(JSON.parse))) as ModelJson
  if (!model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new Error(`model ${file}: not a tfjs graph model (no topology or weights manifest)`)
  }
  const parts = await readOrSay(file, () =>
    Promise.all(
      model.weightsManifest.flatMap((group) =>
        group.paths.map((path) => readFile(join(dirname(file), path))),
      ),
    ),
  )
  const weights = Buffer.concat(parts)
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
    signature: model.signature,
    userDefinedMetadata: model.userDefinedMetadata,
    modelInitializer: model.modelInitializer,
  }
}

async function readOrSay<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    throw new Error(`model ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
