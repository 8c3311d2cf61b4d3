/**
 * `faces eval` and `faces enroll` for `npm run cli`. Both read photos through the kiosk's own
 * face pipeline with the limits from config (threshold, margin, smallest face), so what they
 * report is what the kiosk would do.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../core/config/config'
import type { ConsentMethod } from '../../core/faces/face-data'
import type { Kiosk } from '../../core/kiosk'
import { Roster } from '../../core/roster/roster'
import { ClockfaceError } from '../../shared/errors'
import { buildReport, formatReport, type FaceEvalReport } from './eval-report'
import { collect, templatesPerPerson, type EvalSettings } from './evaluate'
import { loadFaceEngine } from './face-engine'
import { enrolledIndex, goodDescriptors, judgePhotos, verdictText } from './photo-checks'

/** A mistake in how a faces command was called; the CLI prints it without a stack. */
export class FacesUsageError extends Error {}

/** The three ways consent is recorded, as `--consent-method` and consent files name them. */
export const consentMethods: readonly ConsentMethod[] = [
  'paper',
  'electronic',
  'on_screen_signature',
]

/** Targets a release must meet on ../shared/faces. */
export function meetsTargets(r: FaceEvalReport): boolean {
  return r.misidentified === 0 && r.fpir <= 0.01 && r.fnir <= 0.05
}

/** Enrols and probes a folder laid out like ../shared/faces; the function the tests call too. */
export async function evaluateFaces(dir: string, settings: EvalSettings): Promise<FaceEvalReport> {
  if (!existsSync(join(dir, 'enrolled')))
    throw new FacesUsageError(`${dir} has no enrolled/ folder`)
  const faceapi = await loadFaceEngine()
  return buildReport(await collect(faceapi, dir, settings.minFaceSizePx), settings)
}

/** `faces eval DIR [--json FILE]`: prints the report; exit 1 when the targets are missed. */
export async function facesEval(args: string[]): Promise<number> {
  const [dir, flag, file, ...extra] = args
  if (!dir || dir.startsWith('--') || (flag && (flag !== '--json' || !file)) || extra.length > 0) {
    throw new FacesUsageError('usage: faces eval DIR [--json FILE]')
  }
  const { threshold, margin, minFaceSizePx } = loadConfig().config.faces
  const report = await evaluateFaces(dir, { threshold, margin, minFaceSizePx })
  const met = meetsTargets(report)
  process.stdout.write(`${formatReport(report)}\n\n`)
  process.stdout.write(
    `Targets (no misidentification, FPIR ≤ 1%, FNIR ≤ 5%): ${met ? 'met' : 'MISSED'}\n`,
  )
  if (file) {
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`Wrote ${file}\n`)
  }
  return met ? 0 : 1
}

/**
 * `faces enroll EMPLOYEE_ID PHOTO... --consent [--consent-method M]`: stores the good photos'
 * descriptors as the person's templates (never the photos), replacing earlier ones. Consent
 * must be recorded first. Each photo gets one verdict.
 */
export async function facesEnroll(
  args: string[],
  withKiosk: (run: (kiosk: Kiosk) => Promise<number>) => Promise<number>,
): Promise<number> {
  const { employeeId, photos, method } = parseEnroll(args)
  return withKiosk(async (kiosk) => {
    if (!new Roster(kiosk.store).byId(employeeId)?.active) {
      process.stdout.write(`Not enrolled: no active person ${employeeId} in the roster.\n`)
      return 1
    }
    const faceapi = await loadFaceEngine()
    const limits = kiosk.config.faces
    const verdicts = await judgePhotos(faceapi, employeeId, photos, limits, enrolledIndex(kiosk))
    for (const v of verdicts) process.stdout.write(`  ${v.photo}: ${verdictText(v)}\n`)
    const good = goodDescriptors(verdicts)
    if (good.length < templatesPerPerson) {
      process.stdout.write(
        `Not enrolled: ${good.length} good photo(s); at least ${templatesPerPerson} are needed.\n`,
      )
      return 1
    }
    try {
      const consent = { method, signedAt: Date.now() }
      const { templates } = await kiosk.faces.enrolDescriptors(employeeId, good, consent, 'cli')
      process.stdout.write(
        `Enrolled ${employeeId} with ${templates} templates (consent: ${method}).\n`,
      )
      return 0
    } catch (error) {
      if (!(error instanceof ClockfaceError)) throw error
      process.stdout.write(`Not enrolled: ${error.message}\n`)
      return 1
    }
  })
}

function parseEnroll(args: string[]): {
  employeeId: string
  photos: string[]
  method: ConsentMethod
} {
  const usage =
    'usage: faces enroll EMPLOYEE_ID PHOTO... --consent [--consent-method paper|electronic|on_screen_signature]'
  const positional: string[] = []
  let consent = false
  let method: ConsentMethod = 'paper'
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--consent') consent = true
    else if (arg === '--consent-method') {
      const value = args[++i] as ConsentMethod
      if (!consentMethods.includes(value)) throw new FacesUsageError(usage)
      method = value
    } else if (arg.startsWith('--')) throw new FacesUsageError(`unknown option ${arg}\n${usage}`)
    else positional.push(arg)
  }
  const [employeeId, ...photos] = positional
  if (!employeeId || photos.length === 0) throw new FacesUsageError(usage)
  if (!consent) {
    throw new FacesUsageError(
      'face templates are biometric data: enrol only once the person has given consent, then pass --consent',
    )
  }
  return { employeeId, photos, method }
}
