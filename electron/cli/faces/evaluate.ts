/**
 * `faces eval`: how well the kiosk's own face code recognises the people in a folder laid out
 * like ../shared/faces. For every `enrolled/<identity>/` the first three usable photos in
 * file-name order become that person's templates and the rest are genuine probes; every photo
 * of `impostors/<identity>/` is an impostor probe. Usable means what enrolment demands: a face
 * that passes the quality gate. Detection, quality gate, matching, decision and agreement are
 * the kiosk's; a still photo counts as one frame of agreement (it cannot be looked at twice).
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { decide, FrameAgreement, TemplateIndex, type NearestPerson } from '../../core/recognition'
import type { DecisionLimits } from '../../core/recognition'
import type { FaceApi, QualityProblem } from '../../shared/face'
import { analyseStill } from './still-photo'

export const templatesPerPerson = 3

/** Why a photo gave no descriptor: not an image, no face, or the quality gate's problems. */
export type NotAcquired = 'unreadable' | 'no-face' | QualityProblem[]

export interface EvalSettings extends DecisionLimits {
  minFaceSizePx: number
}

/** One probe photo and what the kiosk code made of it. */
export interface Probe {
  file: string
  identity: string
  genuine: boolean
  notAcquired: NotAcquired | null
  nearest: NearestPerson[]
  /** Genuine probes only: the search with their own person left out of the gallery. */
  nearestWithoutOwn: NearestPerson[]
}

export interface Collected {
  /** Identities with their template photos. */
  enrolled: { identity: string; photos: string[] }[]
  /** Identities with fewer than three usable photos: neither enrolled nor probed. */
  notEnrolled: string[]
  probes: Probe[]
}

/** Still photos are analysed once per process: the test and the sweep reuse them. */
const analyses = new Map<string, ReturnType<typeof analyseStill>>()

/** The usable descriptor of a photo (and how many faces it shows), or why there is none. */
export async function acquire(
  faceapi: FaceApi,
  file: string,
  minFaceSizePx: number,
): Promise<{ descriptor: Float32Array; faceCount: number } | { problem: NotAcquired }> {
  const key = `${minFaceSizePx}:${file}`
  let analysis = analyses.get(key)
  if (!analysis) {
    // A photo's framing says nothing about where a person stood, so no centring check.
    const quality = { minFaceSizePx, maxCentreOffset: null }
    analysis = analyseStill(faceapi, file, { quality, descriptor: true })
    analyses.set(key, analysis)
  }
  const result = await analysis.catch(() => null)
  if (!result) return { problem: 'unreadable' }
  const { face, faceCount } = result
  if (!face) return { problem: 'no-face' }
  if (!face.quality.ok) return { problem: face.quality.problems }
  return { descriptor: face.descriptor!, faceCount }
}

/** Enrols and probes everything under `dir` (the slow part: one pass over the photos). */
export async function collect(
  faceapi: FaceApi,
  dir: string,
  minFaceSizePx: number,
): Promise<Collected> {
  const index = new TemplateIndex()
  const enrolled: Collected['enrolled'] = []
  const notEnrolled: string[] = []
  const pending: Omit<Probe, 'nearest' | 'nearestWithoutOwn'>[] = []
  const gallery = new Map<string, Float32Array[]>()
  const descriptors = new Map<string, Float32Array>()
  const take = async (file: string, identity: string, genuine: boolean) => {
    const got = await acquire(faceapi, join(dir, file), minFaceSizePx)
    if ('descriptor' in got) descriptors.set(file, got.descriptor)
    pending.push({ file, identity, genuine, notAcquired: 'problem' in got ? got.problem : null })
  }
  for (const [identity, files] of photosIn(dir, 'enrolled')) {
    const templates: Float32Array[] = []
    const photos: string[] = []
    for (const file of files) {
      if (templates.length === templatesPerPerson) break
      const got = await acquire(faceapi, join(dir, file), minFaceSizePx)
      if ('descriptor' in got) {
        templates.push(got.descriptor)
        photos.push(file)
      }
    }
    if (templates.length < templatesPerPerson) {
      notEnrolled.push(identity)
      continue
    }
    index.set(identity, templates)
    gallery.set(identity, templates)
    enrolled.push({ identity, photos })
    // Every other photo is a probe, unusable ones before the templates included.
    for (const file of files) if (!photos.includes(file)) await take(file, identity, true)
  }
  for (const [identity, files] of photosIn(dir, 'impostors')) {
    for (const file of files) await take(file, identity, false)
  }
  const probes = pending.map((p) => {
    const descriptor = descriptors.get(p.file)
    if (!descriptor) return { ...p, nearest: [], nearestWithoutOwn: [] }
    const nearest = index.nearestPeople(descriptor)
    if (!p.genuine) return { ...p, nearest, nearestWithoutOwn: [] }
    index.remove(p.identity)
    const nearestWithoutOwn = index.nearestPeople(descriptor)
    index.set(p.identity, gallery.get(p.identity)!)
    return { ...p, nearest, nearestWithoutOwn }
  })
  return { enrolled, notEnrolled, probes }
}

/** What the kiosk would answer for one probe (or, `withoutOwn`, for a stranger with its face). */
export function answer(probe: Probe, limits: DecisionLimits, withoutOwn = false): string | null {
  if (probe.notAcquired) return null
  const nearest = withoutOwn ? probe.nearestWithoutOwn : probe.nearest
  const agreement = new FrameAgreement(1, 1000).observe(decide(nearest, limits), 0)
  return agreement.status === 'match' ? agreement.employeeId : null
}

/** `<identity, files relative to dir>` for one top folder, both in file-name order. */
function photosIn(dir: string, top: 'enrolled' | 'impostors'): [string, string[]][] {
  const folders = readdirSync(join(dir, top), { withFileTypes: true }).filter((e) =>
    e.isDirectory(),
  )
  return folders
    .map((e) => e.name)
    .sort()
    .map((identity) => {
      const files = readdirSync(join(dir, top, identity), { withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort()
      return [identity, files.map((f) => join(top, identity, f))]
    })
}
