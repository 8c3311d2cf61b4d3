/**
 * `faces eval DIR`: the kiosk's recognition measured on a folder of photos, in-sample at the
 * configured threshold and cross-validated by person, with the threshold the estimate
 * recommends. Options choose other protocols; the defaults keep figures comparable.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../core/config/config'
import { calibrate, defaultCrossValidation } from './cross-validate'
import { buildReport, formatReport, type FaceEvalReport } from './eval-report'
import {
  acquire,
  collect,
  defaultProtocol,
  readPhotos,
  type Acquire,
  type EvalSettings,
  type Protocol,
} from './evaluate'
import { loadFaceEngine } from './face-engine'
import { FacesUsageError } from './usage-error'

/** What an evaluation may be asked for beyond the config's limits. */
export interface EvalOptions {
  protocol: Protocol
  folds: number
  repeats: number
  seed: number
  /** The leave-one-out FPIR the threshold rule is calibrated to. */
  targetFpir: number
  /** Reads a photo; the kiosk's face-api pipeline unless another model is measured. */
  acquire?: Acquire
}

export const defaultEvalOptions: EvalOptions = {
  protocol: defaultProtocol,
  ...defaultCrossValidation,
  targetFpir: 0.005,
}

/** The goals recognition is held to, each with whether the report meets it. */
export function targets(r: FaceEvalReport): { goal: string; met: boolean }[] {
  const cv = r.crossValidated.chosen
  return [
    { goal: 'nobody taken for someone else (in-sample)', met: r.misidentified === 0 },
    { goal: 'nobody taken for someone else (cross-validated)', met: cv.misidentified.max === 0 },
    {
      goal: `cross-validated FPIR leave-one-out ≤ ${r.crossValidated.targetFpir * 100}%`,
      met: r.crossValidated.met,
    },
    { goal: 'cross-validated FNIR ≤ 3%', met: cv.fnir.mean <= 0.03 },
  ]
}

/** Whether every goal is met. */
export function meetsTargets(r: FaceEvalReport): boolean {
  return targets(r).every((t) => t.met)
}

/** Reads, enrols, probes and cross-validates a folder laid out like ../shared/faces. */
export async function evaluateFaces(
  dir: string,
  settings: EvalSettings,
  options: Partial<EvalOptions> = {},
): Promise<FaceEvalReport> {
  if (!existsSync(join(dir, 'enrolled')))
    throw new FacesUsageError(`${dir} has no enrolled/ folder`)
  const o = { ...defaultEvalOptions, ...options }
  const faceapi = o.acquire ? null : await loadFaceEngine()
  const read = o.acquire ?? ((file: string) => acquire(faceapi!, file, settings.minFaceSizePx))
  const collected = collect(await readPhotos(dir, read), o.protocol)
  const calibrated = calibrate(collected, { ...o, margin: settings.margin })
  return buildReport(collected, settings, o.protocol, calibrated)
}

const usage =
  'usage: faces eval DIR [--json FILE] [--templates N] [--choose first|diverse|frontal] ' +
  '[--folds N] [--repeats N] [--seed N] [--target-fpir FRACTION]'

/** `faces eval DIR [...]`: prints the report; exit 1 when a goal is missed. */
export async function facesEval(args: string[]): Promise<number> {
  const { dir, json, options } = parseEval(args)
  const { threshold, margin, minFaceSizePx } = loadConfig().config.faces
  const report = await evaluateFaces(dir, { threshold, margin, minFaceSizePx }, options)
  process.stdout.write(`${formatReport(report)}\n\n`)
  for (const t of targets(report))
    process.stdout.write(`${t.met ? 'met   ' : 'MISSED'} ${t.goal}\n`)
  if (json) {
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`Wrote ${json}\n`)
  }
  return meetsTargets(report) ? 0 : 1
}

function parseEval(args: string[]): { dir: string; json?: string; options: EvalOptions } {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'string' },
        templates: { type: 'string' },
        choose: { type: 'string' },
        folds: { type: 'string' },
        repeats: { type: 'string' },
        seed: { type: 'string' },
        'target-fpir': { type: 'string' },
      },
    })
  } catch (error) {
    throw new FacesUsageError(`${(error as Error).message}\n${usage}`)
  }
  const { positionals, values } = parsed
  if (positionals.length !== 1) throw new FacesUsageError(usage)
  const whole = (name: string, value: string | undefined, fallback: number, least: number) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < least)
      throw new FacesUsageError(`--${name} must be a whole number of at least ${least}\n${usage}`)
    return n
  }
  const choose = values.choose ?? defaultProtocol.choose
  if (!['first', 'diverse', 'frontal'].includes(choose))
    throw new FacesUsageError(`--choose must be first, diverse or frontal\n${usage}`)
  const target = values['target-fpir'] === undefined ? 0.005 : Number(values['target-fpir'])
  if (!(target > 0 && target < 1))
    throw new FacesUsageError(`--target-fpir must be a fraction between 0 and 1\n${usage}`)
  const d = defaultEvalOptions
  return {
    dir: positionals[0]!,
    json: values.json,
    options: {
      protocol: {
        templates: whole('templates', values.templates, d.protocol.templates, 1),
        choose: choose as Protocol['choose'],
      },
      folds: whole('folds', values.folds, d.folds, 2),
      repeats: whole('repeats', values.repeats, d.repeats, 1),
      seed: whole('seed', values.seed, d.seed, 0),
      targetFpir: target,
    },
  }
}
