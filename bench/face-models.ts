/**
 * The kiosk's face model beside a second one, on the same photos, protocol and machine:
 * face-api's 128-number descriptor, and Human's FaceRes (1024 numbers) fed either by Human's
 * own detector and mesh or by face-api's aligned crop. For each: the cross-validated estimate
 * of `faces eval` (people held out of the threshold rule, calibrated to FPIR ≤ 0.5%, margin from
 * config), time per 640 × 480 frame on the wasm backend in Node, and the size of its nets.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { defaultConfig } from '../electron/core/config/config'
import { evaluateFaces } from '../electron/cli/faces/eval-command'
import { acquire, type Acquire } from '../electron/cli/faces/evaluate'
import { loadFaceEngine } from '../electron/cli/faces/face-engine'
import { faceresAcquire } from '../electron/cli/faces/human-engine'
import { cameraFrames, modelMegabytes, msPerFrame, type FaceModel } from './face-model-speed'
import type { BenchRow } from './report'

const faces = resolve(import.meta.dirname, '../../shared/faces')
const video = join(faces, 'video/short_hamilton_clip.mp4')
const frameCount = 50
const faceApiModels = join(
  dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')),
  'model',
)
const labels: Record<FaceModel, string> = {
  'face-api': 'face-api (kiosk)',
  'faceres-human': 'FaceRes, Human crop',
  'faceres-aligned': 'FaceRes, face-api crop',
}

/** Cross-validated accuracy, ms per frame and megabytes of each face model. */
export async function benchFaceModels(): Promise<BenchRow[]> {
  if (!existsSync(join(faces, 'enrolled')) || !existsSync(video)) {
    if (process.env.CI === 'true') throw new Error(`face fixtures missing under ${faces}`)
    return [
      {
        name: 'face models (fixtures not found, skipped)',
        value: 0,
        unit: '',
        goal: 'report only',
        ok: true,
      },
    ]
  }
  const faceapi = await loadFaceEngine()
  const { threshold, margin, minFaceSizePx } = defaultConfig().faces
  const readers: [FaceModel, Acquire][] = [
    ['face-api', (file) => acquire(faceapi, file, minFaceSizePx)],
    ['faceres-human', faceresAcquire(faceapi, minFaceSizePx, 'human')],
    ['faceres-aligned', faceresAcquire(faceapi, minFaceSizePx, 'aligned')],
  ]
  const speed = await msPerFrame(
    readers.map(([model]) => model),
    cameraFrames(video, frameCount),
  )
  const rows: BenchRow[] = []
  for (const [model, read] of readers) {
    const settings = { threshold, margin, minFaceSizePx }
    const report = await evaluateFaces(faces, settings, { acquire: read })
    const { chosen, met } = report.crossValidated
    const name = (what: string) => `${labels[model]}: ${what}`
    const percent = (share: number) => Math.round(share * 1000) / 10
    const frame = speed.get(model)!
    rows.push(
      {
        name: name(`cross-validated FNIR at FPIR ≤ 0.5% (mean of ${chosen.repeats} repeats)`),
        value: percent(chosen.fnir.mean),
        unit: '%',
        goal: '≤ 3%',
        ok: met && chosen.fnir.mean <= 0.03,
      },
      {
        name: name('FNIR spread, sd over repeats'),
        value: percent(chosen.fnir.sd),
        unit: '%',
        goal: 'report only',
        ok: true,
      },
      {
        name: name(`FNIR spread, sd over single folds (${chosen.folds} a repeat)`),
        value: percent(chosen.foldFnir.sd),
        unit: '%',
        goal: 'report only',
        ok: true,
      },
      {
        name: name('cross-validated leave-one-out FPIR'),
        value: percent(chosen.fpirLeaveOneOut.mean),
        unit: '%',
        goal: '≤ 0.5%',
        ok: met,
      },
      {
        name: name('misidentified, worst repeat'),
        value: chosen.misidentified.max,
        unit: '',
        goal: '0',
        ok: chosen.misidentified.max === 0,
      },
      {
        name: name(`ms per 640×480 frame, median of ${frame.described}`),
        value: Math.round(frame.median),
        unit: 'ms',
        goal: '< 250 ms',
        ok: frame.median < 250,
      },
      {
        name: name('nets'),
        value: modelMegabytes(model, faceApiModels),
        unit: 'MB',
        goal: 'report only',
        ok: true,
      },
    )
  }
  return rows
}
