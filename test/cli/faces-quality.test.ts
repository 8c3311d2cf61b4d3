/**
 * The shared pipeline's quality gate on real faces made worse the way a kiosk camera makes
 * them worse: blur, dark, glare, too far away, off to the side, turned away. Each problem is
 * named so the screen can tell the person what to do.
 */
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { beforeAll, expect, it } from 'vitest'
import { loadFaceEngine } from '../../electron/cli/faces/face-engine'
import {
  decodeStill,
  frameStill,
  stillTensor,
  type RgbImage,
} from '../../electron/cli/faces/still-photo'
import {
  analyseFrame,
  describeFace,
  type FaceApi,
  type FrameAnalysis,
} from '../../electron/shared/face'
import { describeWithFaces, facesDir } from '../fixtures/faces'

type Edit = (image: Sharp, faceWidth: number) => Sharp

describeWithFaces('face quality gate', () => {
  let faceapi: FaceApi
  let photo: RgbImage
  let faceWidth: number
  const tensors = () =>
    (faceapi.tf as unknown as { memory(): { numTensors: number } }).memory().numTensors

  async function look(image: RgbImage, options = {}): Promise<FrameAnalysis> {
    const frame = stillTensor(faceapi, image)
    try {
      return await analyseFrame(faceapi, frame, options)
    } finally {
      frame.dispose()
    }
  }

  async function edited(edit: Edit): Promise<RgbImage> {
    const raw = { width: photo.width, height: photo.height, channels: 3 as const }
    const { data, info } = await edit(sharp(photo.data, { raw }), faceWidth)
      .raw()
      .toBuffer({ resolveWithObject: true })
    return { data, width: info.width, height: info.height }
  }

  beforeAll(async () => {
    faceapi = await loadFaceEngine()
    photo = await frameStill(await decodeStill(join(facesDir, 'enrolled/obama/obama.jpg')), 0)
    faceWidth = (await look(photo)).face!.box.width
  }, 60_000)

  it('passes a clear, frontal, well-lit face', async () => {
    const { face } = await look(photo)
    expect(face!.quality).toMatchObject({ ok: true, problems: [] })
    expect(Math.abs(face!.quality.yaw)).toBeLessThan(15)
    expect(face!.landmarks).toHaveLength(68)
  })

  it.each<[string, Edit]>([
    ['blurry', (s, w) => s.blur(w * 0.03)],
    ['too-dark', (s) => s.linear(0.15, 0)],
    ['too-bright', (s) => s.linear(2.5, 0)],
  ])('names a %s face', async (problem, edit) => {
    const { face } = await look(await edited(edit))
    expect(face!.quality.ok).toBe(false)
    expect(face!.quality.problems).toContain(problem)
  })

  it('names a face too small, and one off to the side of the frame', async () => {
    const far = await look(
      await edited((s, w) => s.resize({ width: Math.round((photo.width * 60) / w) })),
    )
    expect(far.face!.quality.problems).toContain('too-small')
    const side = await edited((s) => s.extend({ right: photo.width * 2, background: '#808080' }))
    expect((await look(side)).face!.quality.problems).toContain('off-centre')
    expect((await look(side, { quality: { maxCentreOffset: null } })).face!.quality.ok).toBe(true)
  })

  it('names a face turned away as not frontal', async () => {
    const turned = await frameStill(
      await decodeStill(join(facesDir, 'enrolled/bbt_stuart/stuart5.png')),
      0.5,
    )
    const { face } = await look(turned)
    expect(face!.quality.problems).toContain('not-frontal')
    expect(Math.abs(face!.quality.yaw)).toBeGreaterThan(45)
  })

  it('gives the same descriptor in one call or two, and leaks no tensors', async () => {
    const frame = stillTensor(faceapi, photo)
    try {
      const before = tensors()
      const seen = await analyseFrame(faceapi, frame, { descriptor: true })
      const again = await describeFace(faceapi, frame, seen.face!)
      expect(Array.from(again)).toEqual(Array.from(seen.face!.descriptor!))
      expect(seen.face!.descriptor).toHaveLength(128)
      expect(tensors()).toBe(before)
    } finally {
      frame.dispose()
    }
  })
})
