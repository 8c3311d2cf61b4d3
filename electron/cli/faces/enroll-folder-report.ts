/** What `faces enroll-folder` prints: the consent file's problems, each person, the totals. */
import type { ConsentFile, ConsentRow } from './consent-file'
import type { FolderContents } from './photo-folder'
import { verdictText, type PhotoVerdict } from './photo-checks'

export interface FolderOptions {
  dir: string
  consentFile: string
  encoding?: string
  /** Check everything, store nothing. */
  dryRun: boolean
  /** Enrol again people who already have face data (their templates are replaced). */
  replace: boolean
}

/** What became of one person with photos in the folder. */
export type PersonOutcome = {
  employeeId: string
  name: string | null
  /** Per photo, relative to the folder; empty when the photos were not read. */
  photos: PhotoVerdict[]
  photoCount: number
} & (
  | { status: 'enrolled'; templates: number; consent: ConsentRow }
  | { status: 'already-enrolled'; templates: number }
  | { status: 'refused'; reason: string }
)

export interface FolderEnrolment {
  options: FolderOptions
  consents: ConsentFile
  ignoredFiles: FolderContents['ignored']
  people: PersonOutcome[]
  /** Consent rows whose person has no photo in the folder. */
  consentWithoutPhotos: ConsentRow[]
}

/** The consent file's encoding, refused rows and ignored columns, and files not read. */
export function printHeader(r: FolderEnrolment, write: (line: string) => void): void {
  const { encoding, rejected, ignoredColumns } = r.consents
  if (encoding !== 'UTF-8') write(`${r.options.consentFile}: read as ${encoding}`)
  if (ignoredColumns.length > 0) write(`Ignored unknown columns: ${ignoredColumns.join(', ')}`)
  if (rejected.length > 0) {
    write(`${rejected.length} consent row(s) refused:`)
    for (const { line, reason } of rejected) write(`  line ${line}: ${reason}`)
  }
  for (const { path, reason } of r.ignoredFiles) write(`Not read: ${path} (${reason})`)
}

/** One person's verdict line, then one line per photo read. */
export function printPerson(
  p: PersonOutcome,
  options: FolderOptions,
  write: (line: string) => void,
): void {
  const who = p.name ? `${p.employeeId} ${p.name}` : p.employeeId
  if (p.status === 'enrolled') {
    const verb = options.dryRun ? 'would be enrolled' : 'enrolled'
    const { method, date, line } = p.consent
    write(
      `${who}: ${verb} with ${p.templates} templates (consent: ${method}, ${date}, line ${line})`,
    )
  } else if (p.status === 'already-enrolled') {
    write(
      `${who}: already enrolled (${p.templates} templates), skipped; --replace enrols again from these photos`,
    )
  } else {
    const unread = p.photos.length === 0 ? ` (${p.photoCount} photo(s) not read)` : ''
    write(`${who}: not enrolled, ${p.reason}${unread}`)
  }
  for (const v of p.photos) write(`  ${v.photo}: ${verdictText(v)}`)
}

/** Consent rows without photos, the totals, and whether anything was stored. */
export function printSummary(r: FolderEnrolment, write: (line: string) => void): void {
  if (r.people.length === 0) write(`No photos found in ${r.options.dir}.`)
  if (r.consentWithoutPhotos.length > 0) {
    const list = r.consentWithoutPhotos.map((c) => `${c.employeeId} (line ${c.line})`)
    write(`Consent but no photos: ${list.join(', ')}`)
  }
  const count = (status: PersonOutcome['status']) =>
    r.people.filter((p) => p.status === status).length
  const enrolled = r.options.dryRun ? 'would be enrolled' : 'enrolled'
  write(
    `${r.people.length} people with photos: ${count('enrolled')} ${enrolled}, ` +
      `${count('already-enrolled')} already enrolled, ${count('refused')} not enrolled; ` +
      `${r.consents.rejected.length} consent row(s) refused.`,
  )
  if (r.options.dryRun) write('Dry run: nothing was stored.')
}
