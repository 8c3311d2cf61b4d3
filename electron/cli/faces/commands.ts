/**
 * `faces eval` and `faces enroll` for `npm run cli`. Both read photos through the kiosk's own
 * face pipeline with the limits from config (threshold, margin, smallest face), so what they
 * report is what the kiosk would do.
 */
import { loadConfig } from '../../core/config/config'
import type { ConsentMethod } from '../../core/faces/face-data'
import type { Kiosk } from '../../core/kiosk'
import { TemplateIndex } from '../../core/recognition'
import { ClockfaceError } from '../../shared/errors'
import { acquire, templatesPerPerson, type NotAcquired } from './evaluate'
import { loadFaceEngine } from './face-engine'
import { FacesUsageError } from './usage-error'

export { evaluateFaces, facesEval, meetsTargets } from './eval-command'
export { FacesUsageError }

const consentMethods: ConsentMethod[] = ['paper', 'electronic', 'on_screen_signature']

/**
 * `faces enroll EMPLOYEE_ID PHOTO... --consent [--consent-method M]`: stores the good photos'
 * descriptors as the person's templates (never the photos). Consent must be recorded first.
 */
export async function facesEnroll(
  args: string[],
  withKiosk: (run: (kiosk: Kiosk) => Promise<number>) => Promise<number>,
): Promise<number> {
  const { employeeId, photos, method } = parseEnroll(args)
  const { threshold, minFaceSizePx } = loadConfig().config.faces
  const faceapi = await loadFaceEngine()
  const accepted: { photo: string; descriptor: Float32Array }[] = []
  for (const photo of photos) {
    const got = await acquire(faceapi, photo, minFaceSizePx)
    let refusal: string | null = null
    if ('problem' in got) refusal = reason(got.problem)
    else if (got.faceCount > 1) refusal = `${got.faceCount} faces: use a photo of this person alone`
    else accepted.push({ photo, descriptor: got.descriptor })
    process.stdout.write(`  ${photo}: ${refusal ? `refused, ${refusal}` : 'accepted'}\n`)
  }
  const good = accepted.filter((a) => !standsApart(a, accepted, threshold))
  for (const a of accepted) {
    if (!good.includes(a))
      process.stdout.write(`  ${a.photo}: refused, does not look like the other photos\n`)
  }
  if (good.length < templatesPerPerson) {
    process.stdout.write(
      `Not enrolled: ${good.length} good photo(s); at least ${templatesPerPerson} are needed.\n`,
    )
    return 1
  }
  return withKiosk(async (kiosk) => {
    try {
      const consent = { method, signedAt: Date.now() }
      const descriptors = good.map((g) => g.descriptor)
      const { templates } = await kiosk.faces.enrolDescriptors(
        employeeId,
        descriptors,
        consent,
        'cli',
      )
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

/** True when a photo is farther than the threshold from every other accepted photo. */
function standsApart(
  one: { descriptor: Float32Array },
  all: { descriptor: Float32Array }[],
  threshold: number,
): boolean {
  const others = all.filter((a) => a !== one)
  if (others.length === 0) return false
  const index = new TemplateIndex()
  others.forEach((o, i) => index.set(String(i), [o.descriptor]))
  return index.nearestPeople(one.descriptor)[0]!.distance > threshold
}

function reason(problem: NotAcquired): string {
  if (problem === 'unreadable') return 'cannot be read as an image'
  if (problem === 'no-face') return 'no face found'
  return `quality: ${problem.join(', ')}`
}
