/**
 * `faces eval`: how well the kiosk's own face code recognises the people in a folder laid out
 * like ../shared/faces. Every photo is read once (`readPhotos`: detection, quality gate and
 * descriptor are the kiosk's); a protocol then picks each `enrolled/<identity>/` person's
 * templates and the rest of their photos are genuine probes, while every photo of
 * `impostors/<identity>/` is an impostor probe. The default protocol enrols from the first three
 * usable photos in file-name order. Decision and agreement are the kiosk's; a still photo counts
 * as one frame of agreement (it cannot be looked at twice).
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { decide, FrameAgreement, type NearestPerson } from '../../core/recognition'
import type { DecisionLimits } from '../../core/recognition'
import type { FaceApi, FaceQuality, QualityProblem } from '../../shared/face'
import { analyseStill } from './still-photo'

export const templatesPerPerson = 3

/** Why a photo gave no descriptor: not an image, no face, or the quality gate's problems. */
export type NotAcquired = 'unreadable' | 'no-face' | QualityProblem[]

/** A usable face of one photo, or why there is none. */
export type Acquired =
  { descriptor: Float32Array; faceCount: number; quality?: FaceQuality } | { problem: NotAcquired }

/** Reads one photo file (the kiosk's face-api pipeline, or another model's). */
export type Acquire = (file: string) => Promise<Acquired>

export interface EvalSettings extends DecisionLimits {
  minFaceSizePx: number
}

/** How templates are chosen from a person's usable photos. */
export interface Protocol {
  /** Templates per person; a person with fewer usable photos is not enrolled. */
  templates: number
  /**
   * `first`: the first usable photos in file-name order (the default); `diverse`: starting from
   * the first, each next template is the usable photo farthest from those already chosen;
   * `frontal`: the most frontal, sharpest usable photos.
   */
  choose: 'first' | 'diverse' | 'frontal'
}

export const defaultProtocol: Protocol = { templates: templatesPerPerson, choose: 'first' }

/** One photo as the pipeline read it. */
export interface Photo {
  file: string
  identity: string
  /** From `enrolled/` (a person who may be enrolled), not `impostors/`. */
  genuine: boolean
  descriptor: Float32Array | null
  quality: FaceQuality | null
  notAcquired: NotAcquired | null
}

/** One probe photo and its distance to every enrolled person's nearest template. */
export interface Probe {
  file: string
  identity: string
  genuine: boolean
  notAcquired: NotAcquired | null
  toPeople: Map<string, number>
}

export interface Collected {
  /** Identities with their template photos. */
  enrolled: { identity: string; photos: string[] }[]
  /** Identities with fewer usable photos than the protocol's templates: neither enrolled nor probed. */
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
): Promise<Acquired> {
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
  return { descriptor: face.descriptor!, faceCount, quality: face.quality }
}

/** Reads every photo under `dir`'s enrolled/ and impostors/ folders (the slow part). */
export async function readPhotos(dir: string, read: Acquire): Promise<Photo[]> {
  const photos: Photo[] = []
  for (const top of ['enrolled', 'impostors'] as const) {
    for (const [identity, files] of photosIn(dir, top)) {
      for (const file of files) {
        const got = await read(join(dir, file))
        const usable = 'descriptor' in got
        photos.push({
          file,
          identity,
          genuine: top === 'enrolled',
          descriptor: usable ? got.descriptor : null,
          quality: usable ? (got.quality ?? null) : null,
          notAcquired: usable ? null : got.problem,
        })
      }
    }
  }
  return photos
}

/** Enrols each person by the protocol and measures every other photo against the gallery. */
export function collect(photos: Photo[], protocol: Protocol = defaultProtocol): Collected {
  const gallery = new Map<string, Float32Array[]>()
  const enrolled: Collected['enrolled'] = []
  const notEnrolled: string[] = []
  const templateFiles = new Set<string>()
  for (const [identity, own] of byIdentity(photos.filter((p) => p.genuine))) {
    const chosen = chooseTemplates(own, protocol)
    if (!chosen) {
      notEnrolled.push(identity)
      continue
    }
    gallery.set(
      identity,
      chosen.map((p) => p.descriptor!),
    )
    enrolled.push({ identity, photos: chosen.map((p) => p.file) })
    chosen.forEach((p) => templateFiles.add(p.file))
  }
  const probes = photos
    .filter((p) => !templateFiles.has(p.file) && (!p.genuine || gallery.has(p.identity)))
    .map((p) => ({
      file: p.file,
      identity: p.identity,
      genuine: p.genuine,
      notAcquired: p.notAcquired,
      toPeople: p.descriptor ? distancesToPeople(p.descriptor, gallery) : new Map(),
    }))
  return { enrolled, notEnrolled, probes }
}

/** Who is in the gallery for one search: everyone, or only `people`, never `without`. */
export interface Search {
  people?: ReadonlySet<string>
  without?: string
}

/** The nearest person and the nearest different person, as the kiosk's index returns them. */
export function nearestIn(probe: Probe, search: Search = {}): NearestPerson[] {
  const found: NearestPerson[] = []
  for (const [employeeId, distance] of probe.toPeople) {
    if (employeeId === search.without || (search.people && !search.people.has(employeeId))) continue
    found.push({ employeeId, distance })
  }
  return found.sort((a, b) => a.distance - b.distance).slice(0, 2)
}

/** What the kiosk would answer for one probe searched in the given gallery. */
export function answer(probe: Probe, limits: DecisionLimits, search: Search = {}): string | null {
  if (probe.notAcquired) return null
  const agreement = new FrameAgreement(1, 1000).observe(decide(nearestIn(probe, search), limits), 0)
  return agreement.status === 'match' ? agreement.employeeId : null
}

function chooseTemplates(own: Photo[], protocol: Protocol): Photo[] | null {
  const usable = own.filter((p) => p.descriptor)
  if (usable.length < protocol.templates) return null
  if (protocol.choose === 'first') return usable.slice(0, protocol.templates)
  if (protocol.choose === 'frontal') {
    const score = (q: FaceQuality | null) =>
      q ? Math.hypot(q.yaw, q.pitch) - Math.log(Math.max(q.sharpness, 1)) : Infinity
    return [...usable]
      .sort((a, b) => score(a.quality) - score(b.quality))
      .slice(0, protocol.templates)
  }
  const chosen = [usable[0]!]
  while (chosen.length < protocol.templates) {
    const gap = (p: Photo) => Math.min(...chosen.map((c) => distance(c.descriptor!, p.descriptor!)))
    const rest = usable.filter((p) => !chosen.includes(p))
    chosen.push(rest.reduce((far, p) => (gap(p) > gap(far) ? p : far)))
  }
  return chosen
}

function distancesToPeople(
  descriptor: Float32Array,
  gallery: Map<string, Float32Array[]>,
): Map<string, number> {
  const to = new Map<string, number>()
  for (const [identity, templates] of gallery) {
    to.set(identity, Math.min(...templates.map((t) => distance(descriptor, t))))
  }
  return to
}

function distance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptors of ${a.length} and ${b.length} values`)
  let sum = 0
  for (let k = 0; k < a.length; k++) sum += (a[k]! - b[k]!) ** 2
  return Math.sqrt(sum)
}

function byIdentity(photos: Photo[]): Map<string, Photo[]> {
  const groups = new Map<string, Photo[]>()
  for (const p of photos) groups.set(p.identity, [...(groups.get(p.identity) ?? []), p])
  return groups
}

/** `<identity, files relative to dir>` for one top folder, both in file-name order. */
function photosIn(dir: string, top: 'enrolled' | 'impostors'): [string, string[]][] {
  if (!existsSync(join(dir, top))) return []
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
