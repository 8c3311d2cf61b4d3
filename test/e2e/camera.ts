/**
 * Fake cameras for Chromium: real face photos and video from ../shared/faces turned into .y4m
 * files with ffmpeg at test time, in a temp folder (never committed, never shipped), and a
 * Chromium launched per camera file with the project's usual flags.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import config from '../../playwright.config'
import { root } from './host'

/** The shared face fixtures, next to the project checkout. */
export const facesDir = resolve(root, '../shared/faces')

/** Whether the fixtures are there; with CI=true their absence is a failure, not a skip. */
export function facesAvailable(): boolean {
  if (existsSync(join(facesDir, 'README.md'))) return true
  if (process.env.CI === 'true') throw new Error(`face fixtures missing: ${facesDir}`)
  return false
}

/** The path of one fixture file; throws when it is missing. */
export function face(relative: string): string {
  const path = join(facesDir, relative)
  if (!existsSync(path)) throw new Error(`face fixture missing: ${path}`)
  return path
}

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

/** Letter-boxes any picture into 640x480, the size the kiosk asks the camera for. */
const fit640x480 =
  'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=gray'

/** A camera that sees one still photo forever (a one-frame y4m loops). */
export function photoCamera(photo: string, out: string): string {
  ffmpeg([
    '-loop',
    '1',
    '-i',
    photo,
    '-t',
    '1',
    '-vf',
    `${fit640x480},format=yuv420p`,
    '-r',
    '10',
    out,
  ])
  return out
}

export interface ClipOptions {
  /** Seconds into the video. */
  start?: number
  duration?: number
  fps?: number
  /** An ffmpeg crop (w:h:x:y) applied before scaling: a camera closer to the person. */
  crop?: string
}

/** A camera that plays a real video clip, looping. */
export function videoCamera(video: string, out: string, options: ClipOptions = {}): string {
  const filters = [options.crop ? `crop=${options.crop}` : null, fit640x480, 'format=yuv420p']
  ffmpeg([
    ...(options.start !== undefined ? ['-ss', String(options.start)] : []),
    ...(options.duration !== undefined ? ['-t', String(options.duration)] : []),
    '-i',
    video,
    '-an',
    '-vf',
    filters.filter(Boolean).join(','),
    '-r',
    String(options.fps ?? 15),
    out,
  ])
  return out
}

/** Stills from a video at the given seconds, as PNG files (e.g. to enrol with the CLI). */
export function videoFrames(
  video: string,
  seconds: number[],
  outDir: string,
  crop?: string,
): string[] {
  return seconds.map((at, i) => {
    const out = join(outDir, `frame-${i}.png`)
    const filters = crop ? ['-vf', `crop=${crop}`] : []
    ffmpeg(['-ss', String(at), '-i', video, '-frames:v', '1', ...filters, out])
    return out
  })
}

/**
 * A queue at the door: each photo for `secondsEach`, with `gapSeconds` of empty grey view after
 * it (one person stepping aside, the next stepping in), looping.
 */
export function queueCamera(
  photos: string[],
  out: string,
  secondsEach: number,
  gapSeconds: number,
  fps = 15,
): string {
  const inputs = photos.flatMap((photo) => [
    ...['-loop', '1', '-t', String(secondsEach), '-r', String(fps), '-i', photo],
    ...['-f', 'lavfi', '-i', `color=c=gray:s=640x480:r=${fps}:d=${gapSeconds}`],
  ])
  const parts = photos.map(
    (_, i) => `[${2 * i}:v]${fit640x480},setsar=1[p${i}];[${2 * i + 1}:v]setsar=1[g${i}];`,
  )
  const chain = photos.map((_, i) => `[p${i}][g${i}]`).join('')
  ffmpeg([
    ...inputs,
    '-filter_complex',
    `${parts.join('')}${chain}concat=n=${2 * photos.length}:v=1,format=yuv420p`,
    '-r',
    String(fps),
    out,
  ])
  return out
}

/**
 * A person walking up again and again: `emptySeconds` of an empty grey view, then the photo
 * for `faceSeconds`, looping. Every loop is one walk-up.
 */
export function walkUpCamera(
  photo: string,
  out: string,
  emptySeconds: number,
  faceSeconds: number,
  fps = 15,
): string {
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `color=c=gray:s=640x480:r=${fps}:d=${emptySeconds}`,
    '-loop',
    '1',
    '-t',
    String(faceSeconds),
    '-r',
    String(fps),
    '-i',
    photo,
    '-filter_complex',
    `[1:v]${fit640x480},setsar=1[face];[0:v]setsar=1[empty];[empty][face]concat=n=2:v=1,format=yuv420p`,
    '-r',
    String(fps),
    out,
  ])
  return out
}

/**
 * A printed photo held up and swung to and fro about its vertical axis (up to about 55°, with
 * the perspective of a photo close to the camera): the attack an active liveness check stops.
 */
export function swungPhotoCamera(photo: string, out: string, seconds = 8, fps = 10): string {
  const swing = `sin(in*${(15 / fps / 8).toFixed(4)})`
  const near = (edge: string) => `0.3*W*max(${edge}${swing},0)`
  const lift = (edge: string) => `0.2*H*max(${edge}${swing},0)`
  const corners = [
    `x0='${near('-')}'`,
    `y0='${lift('-')}'`,
    `x1='W-${near('')}'`,
    `y1='${lift('')}'`,
    `x2='${near('-')}'`,
    `y2='H-${lift('-')}'`,
    `x3='W-${near('')}'`,
    `y3='H-${lift('')}'`,
  ]
  const perspective = `perspective=${corners.join(':')}:sense=destination:eval=frame`
  ffmpeg([
    '-loop',
    '1',
    '-i',
    photo,
    '-t',
    String(seconds),
    '-r',
    String(fps),
    '-vf',
    `${fit640x480},${perspective},format=yuv420p`,
    out,
  ])
  return out
}

/** Chromium with the project's flags and a fake camera that plays `y4m`. */
export function launchWithCamera(y4m: string): Promise<Browser> {
  const base = config.use?.launchOptions?.args ?? []
  return chromium.launch({
    executablePath: config.use?.launchOptions?.executablePath ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...base,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ],
  })
}

/**
 * People walking up in turn, each a stretch of real video: `emptySeconds` of an empty grey view
 * before each stretch (`start`, `duration` in seconds of `video`), looping.
 */
export function clipWalkUpCamera(
  video: string,
  stretches: { start: number; duration: number }[],
  out: string,
  emptySeconds: number,
  fps = 15,
): string {
  const inputs = stretches.flatMap(({ start, duration }) => [
    ...['-f', 'lavfi', '-i', `color=c=gray:s=640x480:r=${fps}:d=${emptySeconds}`],
    ...['-ss', String(start), '-t', String(duration), '-i', video],
  ])
  const parts = stretches.map(
    (_, i) =>
      `[${2 * i}:v]setsar=1[g${i}];[${2 * i + 1}:v]fps=${fps},${fit640x480},setsar=1[c${i}];`,
  )
  const chain = stretches.map((_, i) => `[g${i}][c${i}]`).join('')
  ffmpeg([
    ...inputs,
    '-an',
    '-filter_complex',
    `${parts.join('')}${chain}concat=n=${2 * stretches.length}:v=1,format=yuv420p`,
    '-r',
    String(fps),
    out,
  ])
  return out
}

/**
 * A camera frame made from a photo at test time (into `out`, a PNG): the photo `height` pixels
 * tall in the middle of a grey 640x480 view, its brightness scaled by `brightness`: a person
 * farther from the camera, or in a darker hall.
 */
export async function framedPhoto(
  photo: string,
  out: string,
  { height, brightness = 1 }: { height: number; brightness?: number },
): Promise<string> {
  const { default: sharp } = await import('sharp')
  const width = Math.round((640 * height) / 480)
  const picture = await sharp(photo)
    .rotate()
    .resize({ width, height, fit: 'inside' })
    .modulate({ brightness })
    .removeAlpha()
    .toColourspace('srgb')
    .toBuffer()
  const grey = { r: 128, g: 128, b: 128 }
  await sharp({ create: { width: 640, height: 480, channels: 3, background: grey } })
    .composite([{ input: picture, gravity: 'centre' }])
    // Plain RGB in every frame: ffmpeg's concat takes its pixel format from the first input.
    .removeAlpha()
    .png()
    .toFile(out)
  return out
}
