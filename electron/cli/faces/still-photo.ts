/**
 * Still-photo preparation: turns a photo file into frames the kiosk's own pipeline can read.
 * A camera frame shows a person at a roughly known size; a photo may be anything, so:
 *
 * - decode whatever sharp reads (JPEG incl. progressive, PNG gray/RGBA, WebP under any name),
 *   apply the EXIF rotation, flatten transparency onto grey and keep three RGB channels;
 * - scale photos above 1280 px down (the detector looks at 320 px anyway);
 * - frame it: the photo goes in the middle of a grey canvas with a border of `border` × its
 *   size on every side. Tight face crops (ID-style, up to 300 px) get 50% at once, because the
 *   detector misses faces that fill the whole picture; any photo in which no face was found
 *   is tried once more with a wider border (see `framings`);
 * - scale small results up to 640 px, a kiosk camera frame, so faces clear the size gate.
 */
import sharp from 'sharp'
import type { tf } from '@vladmandic/face-api'
import {
  analyseFrame,
  type AnalyseOptions,
  type FaceApi,
  type FrameAnalysis,
} from '../../shared/face'

const largestSide = 1280
const frameSide = 640
const tightCropSide = 300
const grey = { r: 128, g: 128, b: 128 }

/** The kiosk pipeline on a photo, one framing after another until a face is seen. */
export async function analyseStill(
  faceapi: FaceApi,
  file: string,
  options: AnalyseOptions,
): Promise<FrameAnalysis> {
  const image = await decodeStill(file)
  let result: FrameAnalysis | undefined
  for (const border of framings(image)) {
    const frame = stillTensor(faceapi, await frameStill(image, border))
    try {
      result = await analyseFrame(faceapi, frame, options)
    } finally {
      frame.dispose()
    }
    if (result.face) break
  }
  return result!
}

/** Decoded RGB pixels, row by row. */
export interface RgbImage {
  data: Buffer
  width: number
  height: number
}

/** Reads and normalises a photo (rotation, colour, alpha, size); throws if sharp cannot read it. */
export async function decodeStill(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file)
    .rotate()
    .flatten({ background: grey })
    .toColourspace('srgb')
    .resize(largestSide, largestSide, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3) throw new Error(`expected RGB, decoded ${info.channels} channels`)
  return { data, width: info.width, height: info.height }
}

/** The borders to try, in order: tight crops need one from the start. */
export function framings(image: RgbImage): number[] {
  return Math.max(image.width, image.height) <= tightCropSide ? [0.5, 1] : [0, 0.5]
}

/** The photo on a grey canvas with `border` × its size on each side, at least 640 px long. */
export async function frameStill(image: RgbImage, border: number): Promise<RgbImage> {
  const long = Math.max(image.width, image.height) * (1 + 2 * border)
  const grow = Math.max(1, frameSide / long)
  const x = Math.round(image.width * border * grow)
  const y = Math.round(image.height * border * grow)
  // sharp always pads after resizing, whatever the call order.
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(Math.round(image.width * grow), Math.round(image.height * grow), { kernel: 'lanczos3' })
    .extend({ top: y, bottom: y, left: x, right: x, background: grey })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** An int32 tensor [height, width, 3] for face-api; the caller disposes it. */
export function stillTensor(faceapi: FaceApi, image: RgbImage): tf.Tensor3D {
  return faceapi.tf.tensor3d(new Uint8Array(image.data), [image.height, image.width, 3], 'int32')
}
