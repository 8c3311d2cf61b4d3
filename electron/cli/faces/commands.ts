/**
 * `faces eval` and `faces enroll` for `npm run cli`. Both read photos through the kiosk's own
 * face pipeline with the limits from config (threshold, margin, smallest face), so what they
 * report is what the kiosk would do.
 */
import type { ConsentMethod } from '../../core/faces/face-data'
import type { Kiosk } from '../../core/kiosk'
import { Roster } from '../../core/roster/roster'
import { ClockfaceError } from '../../shared/errors'
import { templatesPerPerson } from './evaluate'
import { loadFaceEngine } from './face-engine'
import { enrolledIndex, goodDescriptors, judgePhotos, verdictText } from './photo-checks'
import { FacesUsageError } from './usage-error'

export { evaluateFaces, facesEval, meetsTargets } from './eval-command'
export { FacesUsageError }

/** The three ways consent is recorded, as `--consent-method` and consent files name them. */
export const consentMethods: readonly ConsentMethod[] = [
  'paper',
  'electronic',
  'on_screen_signature',
]

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
