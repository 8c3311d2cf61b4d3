/**
 * `faces enroll-folder DIR --consent-file FILE`: enrols everyone in a folder of HR photos whose
 * consent the file records. People go one after another, each in one durable step (all their
 * templates and their consent, or nothing), so a run cut short leaves nobody half enrolled.
 * Photos of a person without valid consent are never opened. People already enrolled are
 * skipped unless `--replace`, so running it again only enrols whoever is still missing.
 */
import { statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Kiosk } from '../../core/kiosk'
import type { TemplateIndex } from '../../core/recognition'
import { Roster, type Employee } from '../../core/roster/roster'
import { ClockfaceError } from '../../shared/errors'
import type { FaceApi } from '../../shared/face'
import { FacesUsageError } from './commands'
import { readConsentFile, type ConsentFile } from './consent-file'
import { templatesPerPerson } from './evaluate'
import { loadFaceEngine } from './face-engine'
import {
  printHeader,
  printPerson,
  printSummary,
  type FolderEnrolment,
  type FolderOptions,
  type PersonOutcome,
} from './enroll-folder-report'
import { photosByPerson, type PersonPhotos } from './photo-folder'
import { enrolledIndex, goodDescriptors, judgePhotos, type PhotoVerdict } from './photo-checks'

/** Exit code: 0 only when everyone with photos is enrolled and every consent row was good. */
export function folderExitCode(r: FolderEnrolment): number {
  const allIn = r.people.every((p) => p.status !== 'refused')
  return r.people.length > 0 && allIn && r.consents.rejected.length === 0 ? 0 : 1
}

/** Runs a bulk enrolment on an open kiosk; `write` gets each printed line as it is decided. */
export async function enrolFolder(
  kiosk: Kiosk,
  options: FolderOptions,
  now: number,
  write: (line: string) => void,
  engine: () => Promise<FaceApi> = () => loadFaceEngine(),
): Promise<FolderEnrolment> {
  const roster = new Roster(kiosk.store)
  const { timeZone } = kiosk.config
  const { retentionDays } = kiosk.config.faces
  const consents = readConsentFile(
    options.consentFile,
    { employee: (id) => roster.byId(id), timeZone, retentionDays, now },
    options.encoding,
  )
  const ids = roster.everyone().map((e) => e.id)
  const folder = photosByPerson(options.dir, ids, options.consentFile)
  const result: FolderEnrolment = {
    options,
    consents,
    ignoredFiles: folder.ignored,
    people: [],
    consentWithoutPhotos: [...consents.consents.values()].filter(
      (c) => !folder.people.some((p) => p.employeeId === c.employeeId),
    ),
  }
  printHeader(result, write)
  // Whoever is enrolled so far, this run included: a later person's photo must not be them.
  let enrolled: TemplateIndex | undefined
  const run: Run = {
    kiosk,
    options,
    consents,
    faces: async () => {
      enrolled ??= enrolledIndex(kiosk)
      return { faceapi: await engine(), enrolled }
    },
  }
  for (const person of folder.people) {
    const outcome = await enrolPerson(run, person, roster.byId(person.employeeId))
    result.people.push(outcome)
    printPerson(outcome, options, write)
  }
  printSummary(result, write)
  return result
}

interface Run {
  kiosk: Kiosk
  options: FolderOptions
  consents: ConsentFile
  /** The face engine and everyone enrolled so far, loaded when the first photo is read. */
  faces: () => Promise<{ faceapi: FaceApi; enrolled: TemplateIndex }>
}

async function enrolPerson(
  { kiosk, options, consents, faces }: Run,
  { employeeId, photos }: PersonPhotos,
  employee: Employee | undefined,
): Promise<PersonOutcome> {
  const base = { employeeId, name: employee?.name ?? null, photoCount: photos.length }
  const refuse = (reason: string, verdicts: PhotoVerdict[] = []): PersonOutcome => ({
    ...base,
    photos: verdicts,
    status: 'refused',
    reason,
  })
  if (!employee) return refuse('not in the roster')
  if (!employee.active) return refuse('inactive in the roster')
  const consent = consents.consents.get(employeeId)
  if (!consent) {
    const bad = consents.rejected.filter((r) => r.employeeId === employeeId).map((r) => r.line)
    const file = basename(options.consentFile)
    return refuse(
      bad.length > 0
        ? `its consent row (line ${bad.join(', ')}) was refused`
        : `no consent row in ${file}`,
    )
  }
  const stored = kiosk.faces.data.status(employeeId).templates
  if (stored > 0 && !options.replace) {
    return { ...base, photos: [], status: 'already-enrolled', templates: stored }
  }
  const { faceapi, enrolled } = await faces()
  const paths = photos.map((p) => join(options.dir, p))
  const judged = await judgePhotos(faceapi, employeeId, paths, kiosk.config.faces, enrolled)
  const verdicts = judged.map((v, i) => ({ ...v, photo: photos[i]! }))
  const good = goodDescriptors(verdicts)
  if (good.length < templatesPerPerson) {
    return refuse(
      `${good.length} good photo(s); at least ${templatesPerPerson} are needed`,
      verdicts,
    )
  }
  if (!options.dryRun) {
    try {
      const signed = { method: consent.method, signedAt: consent.signedAt }
      await kiosk.faces.enrolDescriptors(employeeId, good, signed, 'cli')
    } catch (error) {
      if (!(error instanceof ClockfaceError)) throw error
      return refuse(error.message, verdicts)
    }
  }
  enrolled.set(employeeId, good)
  return { ...base, photos: verdicts, status: 'enrolled', templates: good.length, consent }
}

/** The CLI command: parses its arguments, runs on the kiosk store, prints as it goes. */
export async function facesEnrollFolder(
  args: string[],
  withKiosk: (run: (kiosk: Kiosk) => Promise<number>) => Promise<number>,
): Promise<number> {
  const options = parseArgs(args)
  return withKiosk(async (kiosk) => {
    const write = (line: string) => process.stdout.write(`${line}\n`)
    return folderExitCode(await enrolFolder(kiosk, options, Date.now(), write))
  })
}

const usage =
  'usage: faces enroll-folder DIR --consent-file FILE.csv [--encoding NAME] [--dry-run] [--replace]'

function parseArgs(args: string[]): FolderOptions {
  const [dir, ...rest] = args
  if (!dir || dir.startsWith('--')) throw new FacesUsageError(usage)
  const options: FolderOptions = { dir, consentFile: '', dryRun: false, replace: false }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === '--dry-run') options.dryRun = true
    else if (arg === '--replace') options.replace = true
    else if (arg === '--consent-file' || arg === '--encoding') {
      const value = rest[++i]
      if (!value || value.startsWith('--'))
        throw new FacesUsageError(`${arg} needs a value\n${usage}`)
      if (arg === '--consent-file') options.consentFile = value
      else options.encoding = value
    } else throw new FacesUsageError(`unknown option ${arg}\n${usage}`)
  }
  if (!options.consentFile) {
    throw new FacesUsageError(
      `face templates are biometric data: name the file that records each person's consent\n${usage}`,
    )
  }
  if (!isFolder(dir)) throw new FacesUsageError(`${dir} is not a folder\n${usage}`)
  return options
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
