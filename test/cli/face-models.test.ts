/**
 * The second face-description model (Human's FaceRes) on real photos: it loads from the
 * package's own files with nothing fetched, gives the same descriptor for the same photo, and
 * puts a person nearer to their own other photo than to someone else.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Human } from '@vladmandic/human'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { readModel } from '../../electron/cli/faces/disk-models'
import { loadFaceEngine } from '../../electron/cli/faces/face-engine'
import {
  acquireWithHuman,
  describeWithHuman,
  humanModelFolder,
  humanNets,
  loadHumanEngine,
  type FaceresView,
} from '../../electron/cli/faces/human-engine'
import { decodeStill, frameStill, stillTensor } from '../../electron/cli/faces/still-photo'
import type { FaceApi } from '../../electron/shared/face'
import { describeWithFaces, facesDir, shippedFaces } from '../fixtures/faces'

const views: FaceresView[] = ['human', 'aligned']
const distance = (a: Float32Array, b: Float32Array) =>
  Math.sqrt(a.reduce((sum, value, k) => sum + (value - b[k]!) ** 2, 0))

describeWithFaces('second face model (Human FaceRes)', () => {
  let faceapi: FaceApi
  let human: Human
  const fetched: string[] = []
  const realFetch = globalThis.fetch
  let temp: string

  async function descriptorOf(file: string, view: FaceresView): Promise<Float32Array> {
    const got = await acquireWithHuman(
      faceapi,
      join(facesDir, file),
      shippedFaces.minFaceSizePx,
      view,
    )
    if (!('descriptor' in got)) throw new Error(`${file}: no usable face (${String(got.problem)})`)
    return got.descriptor
  }

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), 'clockface-models-'))
    // Any download, by tfjs or anyone else, would go through fetch in Node 20.
    globalThis.fetch = ((input: string | URL | Request) => {
      fetched.push(String(input))
      return Promise.reject(new Error('no network in this test'))
    }) as typeof fetch
    faceapi = await loadFaceEngine()
    human = await loadHumanEngine()
  }, 60_000)

  afterAll(async () => {
    globalThis.fetch = realFetch
    await rm(temp, { recursive: true, force: true })
  })

  it('loads its nets from the package folder on disk, fetching nothing, on wasm', () => {
    expect(fetched).toEqual([])
    expect((faceapi.tf as unknown as { getBackend(): string }).getBackend()).toBe('wasm')
    const loaded = human.models.stats().modelStats.filter((net) => net.loaded)
    expect(loaded.map((net) => net.name).sort()).toEqual([...humanNets].sort())
    expect(human.config.modelBasePath).toBe(`disk://${humanModelFolder}/`)
  })

  it('names the file when a model on disk is missing or not a model', async () => {
    await expect(readModel(join(temp, 'absent.json'))).rejects.toThrow(/absent\.json/)
    await writeFile(join(temp, 'bad.json'), '{"weightsManifest": []}')
    await expect(readModel(join(temp, 'bad.json'))).rejects.toThrow(/bad\.json: not a tfjs graph/)
    await copyFile(join(humanModelFolder, 'faceres.json'), join(temp, 'faceres.json'))
    await expect(readModel(join(temp, 'faceres.json'))).rejects.toThrow(/faceres\.bin/)
  })

  it('gives the same unit-length 1024-number descriptor for the same photo', async () => {
    const image = await decodeStill(join(facesDir, 'enrolled/obama/obama.jpg'))
    const twice: Float32Array[] = []
    for (let k = 0; k < 2; k++) {
      const frame = stillTensor(faceapi, await frameStill(image, 0))
      try {
        twice.push((await describeWithHuman(human, frame))!)
      } finally {
        frame.dispose()
      }
    }
    expect(twice[0]).toHaveLength(1024)
    expect(Math.hypot(...twice[0]!)).toBeCloseTo(1, 5)
    expect(distance(twice[0]!, twice[1]!)).toBeLessThan(1e-4)
    const acquired = await descriptorOf('enrolled/obama/obama.jpg', 'human')
    expect(distance(acquired, twice[0]!)).toBeLessThan(1e-4)
  })

  it.each(views)(
    'puts a person nearer to their own photo than to another person (%s view)',
    async (view) => {
      const [obama, obamaAgain, biden] = await Promise.all(
        ['enrolled/obama/obama.jpg', 'enrolled/obama/obama2.jpg', 'impostors/biden/biden.jpg'].map(
          (file) => descriptorOf(file, view),
        ),
      )
      const [sharon, sharonAgain] = await Promise.all(
        ['lfw_Ariel_Sharon/Ariel_Sharon_0001', 'lfw_Ariel_Sharon/Ariel_Sharon_0002'].map((name) =>
          descriptorOf(`enrolled/${name}.jpg`, view),
        ),
      )
      expect(distance(obama!, obamaAgain!)).toBeLessThan(distance(obama!, biden!))
      expect(distance(sharon!, sharonAgain!)).toBeLessThan(distance(sharon!, obama!))
      expect(distance(sharon!, sharonAgain!)).toBeLessThan(distance(sharon!, biden!))
    },
  )

  it('refuses what the quality gate refuses and a picture without a face', async () => {
    const white = join(facesDir, 'no-face/white.png')
    expect(await acquireWithHuman(faceapi, white, shippedFaces.minFaceSizePx)).toEqual({
      problem: 'no-face',
    })
    const notAPhoto = join(temp, 'notes.jpg')
    await writeFile(notAPhoto, 'not an image')
    expect(await acquireWithHuman(faceapi, notAPhoto, shippedFaces.minFaceSizePx)).toEqual({
      problem: 'unreadable',
    })
  })
})
