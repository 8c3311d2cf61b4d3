/**
 * Whose photos a bulk-enrolment folder holds. A sub-folder is one person, named by employee id
 * (DIR/E001/*.jpg). A photo directly in DIR belongs to the roster id its name starts with,
 * followed by "_", a space or nothing (DIR/E001.jpg, DIR/E001_2.jpg, DIR/E001 (2).jpg); the
 * longest such id wins, so ids holding "-" or "_" work. A name no roster id starts is kept under its part before the last
 * "_", and reported as not in the roster.
 */
import { readdirSync } from 'node:fs'
import { extname, join, parse, resolve } from 'node:path'

export const photoExtensions = ['.jpg', '.jpeg', '.png', '.webp']

export interface PersonPhotos {
  employeeId: string
  /** Paths relative to the folder, in name order. */
  photos: string[]
}

export interface FolderContents {
  /** Everyone with at least one photo, in employee-id order. */
  people: PersonPhotos[]
  /** What was not read, relative to the folder, and why. */
  ignored: { path: string; reason: string }[]
}

/** Groups the photos in DIR by person; `rosterIds` decides whose a loose photo is. */
export function photosByPerson(dir: string, rosterIds: string[], skip?: string): FolderContents {
  const byId = new Map<string, string[]>()
  const ignored: FolderContents['ignored'] = []
  const add = (id: string, path: string) => byId.set(id, [...(byId.get(id) ?? []), path])
  const notPhoto = `not a photo (${photoExtensions.join(', ')})`
  for (const entry of visible(dir)) {
    if (entry.isDirectory()) {
      for (const inner of visible(join(dir, entry.name))) {
        const path = join(entry.name, inner.name)
        if (inner.isDirectory()) ignored.push({ path, reason: 'a folder inside a person’s folder' })
        else if (isPhoto(inner.name)) add(entry.name, path)
        else ignored.push({ path, reason: notPhoto })
      }
    } else if (isPhoto(entry.name)) {
      add(ownerOf(parse(entry.name).name, rosterIds), entry.name)
    } else if (!skip || resolve(dir, entry.name) !== resolve(skip)) {
      ignored.push({ path: entry.name, reason: notPhoto })
    }
  }
  const people = [...byId]
    .map(([employeeId, photos]) => ({ employeeId, photos: photos.sort() }))
    .sort((a, b) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0))
  return { people, ignored }
}

/** The employee id a loose photo's name (without extension) stands for. */
export function ownerOf(stem: string, rosterIds: string[]): string {
  let best: string | undefined
  for (const id of rosterIds) {
    const owns = stem === id || stem.startsWith(`${id}_`) || stem.startsWith(`${id} `)
    if (owns && id.length > (best?.length ?? 0)) best = id
  }
  if (best) return best
  const cut = stem.lastIndexOf('_')
  return cut > 0 ? stem.slice(0, cut) : stem
}

function isPhoto(name: string): boolean {
  return photoExtensions.includes(extname(name).toLowerCase())
}

// Hidden files are the system's (.DS_Store, ._ copies), not anyone's photos.
function visible(dir: string) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isDirectory()))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
