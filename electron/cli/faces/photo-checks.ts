/**
 * The checks every enrolment photo goes through, for `faces enroll` and `faces enroll-folder`
 * alike: a usable face (the kiosk's quality gate), that face alone, nobody else's face, and a
 * face like the person's other photos. Each photo gets one verdict, decided before any is shown.
 */
import type { Kiosk } from '../../core/kiosk'
import { TemplateIndex } from '../../core/recognition'
import type { FaceApi } from '../../shared/face'
import { acquire, type NotAcquired } from './evaluate'

export interface PhotoLimits {
  /** faces.threshold: the largest distance that counts as the same person. */
  threshold: number
  minFaceSizePx: number
}

/** One photo's verdict: its descriptor when accepted, else why it was refused. */
export type PhotoVerdict =
  { photo: string; descriptor: Float32Array; refusal: null } | { photo: string; refusal: string }

/** Everyone's stored templates, to tell whether a photo shows someone already enrolled. */
export function enrolledIndex(kiosk: Kiosk): TemplateIndex {
  const index = new TemplateIndex()
  for (const [employeeId, vectors] of kiosk.faces.data.loadAll().byEmployee) {
    index.set(employeeId, vectors)
  }
  return index
}

/**
 * Judges EMPLOYEE_ID's photos (paths as given) against each other and against `others`, which
 * may hold the person's own earlier templates (those are left out of the comparison).
 */
export async function judgePhotos(
  faceapi: FaceApi,
  employeeId: string,
  photos: string[],
  limits: PhotoLimits,
  others: TemplateIndex,
): Promise<PhotoVerdict[]> {
  const verdicts: PhotoVerdict[] = []
  for (const photo of photos) {
    const got = await acquire(faceapi, photo, limits.minFaceSizePx)
    if ('problem' in got) verdicts.push({ photo, refusal: problemText(got.problem) })
    else if (got.faceCount > 1) {
      verdicts.push({
        photo,
        refusal: `${got.faceCount} faces: use a photo of this person alone`,
      })
    } else {
      const other = others
        .nearestPeople(got.descriptor)
        .find((p) => p.employeeId !== employeeId && p.distance <= limits.threshold)
      verdicts.push(
        other
          ? { photo, refusal: `looks like ${other.employeeId}, who is already enrolled` }
          : { photo, descriptor: got.descriptor, refusal: null },
      )
    }
  }
  const accepted = verdicts.filter((v) => v.refusal === null)
  return verdicts.map((v) =>
    v.refusal === null && unlikeMost(v, accepted, limits.threshold)
      ? { photo: v.photo, refusal: 'does not look like the other photos' }
      : v,
  )
}

/** The accepted photos' descriptors, in photo order. */
export function goodDescriptors(verdicts: PhotoVerdict[]): Float32Array[] {
  return verdicts.flatMap((v) => (v.refusal === null ? [v.descriptor] : []))
}

/** "accepted" or "refused, REASON": what is printed after a photo's name. */
export function verdictText(verdict: PhotoVerdict): string {
  return verdict.refusal === null ? 'accepted' : `refused, ${verdict.refusal}`
}

/**
 * True when a photo is within the threshold of fewer than half of the other accepted photos.
 * "Like the nearest one" would let two photos of someone else vouch for each other.
 */
function unlikeMost(
  one: { descriptor: Float32Array },
  all: { descriptor: Float32Array }[],
  threshold: number,
): boolean {
  const others = all.filter((a) => a !== one)
  const alike = others.filter((o) => distance(one.descriptor, o.descriptor) <= threshold).length
  return alike < others.length / 2
}

/** Euclidean distance between two descriptors, the measure the matcher uses. */
function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2
  return Math.sqrt(sum)
}

function problemText(problem: NotAcquired): string {
  if (problem === 'unreadable') return 'cannot be read as an image'
  if (problem === 'no-face') return 'no face found'
  return `quality: ${problem.join(', ')}`
}
