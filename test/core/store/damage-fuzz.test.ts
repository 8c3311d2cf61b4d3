/**
 * Random byte damage in journal segments and snapshots, at rest (before a start) and while the
 * store runs, with snapshots and compaction going on: every acknowledged punch survives unless
 * every copy of it was damaged, and then the store names it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeSegment } from '../../../electron/core/store/journal-codec.mjs'
import { listStoreFiles } from '../../../electron/core/store/store-files.mjs'
import type { Store, UnrecoverableChanges } from '../../../electron/core/store/types'
import { mulberry32 } from '../../fixtures/random'
import { openPunchStore, recordPunches, storedPunchIds, useTempDirs } from './store-fixture'

const TRIALS = Number(process.env.DAMAGE_TRIALS ?? 1000)
const SEED = Number(process.env.DAMAGE_SEED ?? 0x5eed)
// Trials at once: one's snapshot runs in the worker thread while another opens or commits.
const LANES = 3
// The trials test what damage does, not what a power cut does: on a RAM disk their thousands of
// fsyncs cost nothing, where a shared disk would stretch the test to minutes.
const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()

const tempDir = useTempDirs()

interface Template {
  dir: string
  /** Acknowledged punch id by the seq of the change that recorded it. */
  punches: Map<number, string>
  /** Per segment file: the seq of the record covering each byte range. */
  records: Map<string, { seq: number; from: number; to: number }[]>
}

let template: Template
const stats = { atRest: 0, running: 0, lostAndNamed: 0, repaired: 0, fromMemory: 0 }
// Counts the snapshots written from main's memory because the journal lacked a change.
const countingLog = {
  info() {},
  warn() {},
  error(message: string) {
    if (message.includes('from memory')) stats.fromMemory++
  },
}

/** A closed store with two snapshots, a sealed segment between them and one after the newest. */
async function buildTemplate(dir: string): Promise<Template> {
  const store = await openPunchStore(dir)
  const punches = new Map<number, string>()
  for (let round = 0; round < 3; round++) {
    const before = store.sequence
    const ids = recordPunches(store, 6)
    ids.forEach((id, i) => punches.set(before + 1 + i, id))
    if (round < 2) await store.snapshot()
  }
  await store.close()
  const records = new Map<string, { seq: number; from: number; to: number }[]>()
  for (const { name } of listStoreFiles(dir).segments) {
    const bytes = fs.readFileSync(path.join(dir, name))
    const found = decodeSegment(bytes).records
    records.set(
      name,
      found.map((r, i) => ({
        seq: r.seq,
        from: r.offset,
        to: found[i + 1]?.offset ?? bytes.length,
      })),
    )
  }
  return { dir, punches, records }
}

/** Flips bits of the byte at `offset` in place (never to the same value). */
function damageByte(file: string, offset: number, mask: number): void {
  const fd = fs.openSync(file, 'r+')
  try {
    const byte = Buffer.alloc(1)
    fs.readSync(fd, byte, 0, 1, offset)
    byte[0]! ^= mask
    fs.writeSync(fd, byte, 0, 1, offset)
  } finally {
    fs.closeSync(fd)
  }
}

interface Hit {
  file: string
  offset: number
}

/** 1–2 random hits in the store's segments and snapshots. */
function damage(dir: string, random: () => number): Hit[] {
  const { segments, snapshots } = listStoreFiles(dir)
  const files = [...segments, ...snapshots].map((f) => f.name)
  const hits: Hit[] = []
  for (let n = random() < 0.7 ? 1 : 2; n > 0; n--) {
    const file = files[Math.floor(random() * files.length)]!
    const size = fs.statSync(path.join(dir, file)).size
    if (size === 0) continue
    const offset = Math.floor(random() * size)
    damageByte(path.join(dir, file), offset, 1 + Math.floor(random() * 255))
    hits.push({ file, offset })
  }
  return hits
}

/** Seqs whose every copy on disk (journal record, snapshots at or after it) was hit. */
function destroyedSeqs(t: Template, hits: Hit[]): Set<number> {
  const snapshots = listStoreFiles(t.dir).snapshots
  const hitSnapshots = new Set(hits.map((h) => h.file))
  const hitRecords = new Set(
    hits.flatMap((h) =>
      (t.records.get(h.file) ?? []).filter((r) => r.from <= h.offset && h.offset < r.to),
    ),
  )
  const destroyed = new Set<number>()
  for (const seq of t.punches.keys()) {
    const inJournal = [...t.records.values()].some((rs) => rs.some((r) => r.seq === seq))
    const journalHit = [...hitRecords].some((r) => r.seq === seq)
    const goodSnapshot = snapshots.some((s) => s.seq >= seq && !hitSnapshots.has(s.name))
    if ((!inJournal || journalHit) && !goodSnapshot) destroyed.add(seq)
  }
  return destroyed
}

function reported(losses: readonly UnrecoverableChanges[], seq: number, id: string): boolean {
  return losses.some(
    (loss) =>
      loss.ids.includes(id) || (loss.first <= seq && (loss.last === null || seq <= loss.last)),
  )
}

/** Commits two punches, snapshots twice (compacting), closes and reopens. */
async function liveOn(store: Store, dir: string): Promise<{ reopened: Store; added: string[] }> {
  const added = recordPunches(store, 2)
  if (store.recovery.repaired.length > 0) stats.repaired++
  await store.snapshot()
  added.push(...recordPunches(store, 1))
  await store.snapshot()
  await store.close()
  return { reopened: await openPunchStore(dir, { log: countingLog }), added }
}

/** A fresh copy of the template store, removed when `use` is done with it. */
async function withCopy(use: (dir: string) => Promise<void>): Promise<void> {
  const dir = await fs.promises.mkdtemp(path.join(SCRATCH, 'clockface-damage-'))
  try {
    await fs.promises.cp(template.dir, dir, { recursive: true })
    await use(dir)
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true })
  }
}

async function restTrial(trial: number, random: () => number, dir: string): Promise<void> {
  const t = { ...template, dir }
  const hits = damage(dir, random)
  const destroyed = destroyedSeqs(t, hits)
  const store = await openPunchStore(dir, { log: countingLog })
  stats.atRest++
  const context = `trial ${trial} (seed ${SEED}), at rest, hits ${JSON.stringify(hits)}`
  const present = new Set(storedPunchIds(store))
  for (const [seq, id] of t.punches) {
    if (present.has(id)) continue
    // A change can also be lost with intact records of its own when one it builds on is gone.
    const allowed = destroyed.has(seq) || [...destroyed].some((d) => d < seq)
    expect(allowed, `${context}: punch ${id} (change ${seq}) lost`).toBe(true)
    expect(reported(store.recovery.unrecoverable, seq, id), `${context}: ${id} not reported`).toBe(
      true,
    )
  }
  const losses = store.recovery.unrecoverable
  if (losses.length > 0) stats.lostAndNamed++
  const { reopened, added } = await liveOn(store, dir)
  try {
    const after = new Set(storedPunchIds(reopened))
    const missing = [...present, ...added].filter((id) => !after.has(id))
    expect(missing, `${context}: lost after snapshots`).toEqual([])
    expect(reopened.recovery.unrecoverable, `${context}: losses forgotten`).toEqual(losses)
  } finally {
    await reopened.close()
  }
}

async function runningTrial(trial: number, random: () => number, dir: string): Promise<void> {
  // Background snapshots every two changes, so some run while the damage is done.
  const store = await openPunchStore(dir, { snapshotEvery: 2, log: countingLog })
  stats.running++
  const acknowledged = [...template.punches.values(), ...recordPunches(store, 3)]
  const hits = damage(dir, random)
  const context = `trial ${trial} (seed ${SEED}), running, hits ${JSON.stringify(hits)}`
  const { reopened, added } = await liveOn(store, dir)
  try {
    const after = new Set(storedPunchIds(reopened))
    const missing = [...acknowledged, ...added].filter((id) => !after.has(id))
    expect(missing, `${context}: acknowledged punches lost`).toEqual([])
    expect(reopened.recovery.unrecoverable, context).toEqual([])
  } finally {
    await reopened.close()
  }
}

describe('random damage to journal and snapshots', () => {
  beforeAll(async () => {
    template = await buildTemplate(await tempDir())
  })

  it(`loses no punch that has an intact copy, and names every one it loses (${TRIALS} trials)`, async () => {
    const started = performance.now()
    let next = 0
    let failed = false
    const lane = async () => {
      while (next < TRIALS && !failed) {
        const trial = next++
        const random = mulberry32(SEED + trial)
        const kind = random() < 0.5 ? restTrial : runningTrial
        await withCopy((dir) => kind(trial, random, dir)).catch((error: unknown) => {
          failed = true
          throw error
        })
      }
    }
    const lanes = await Promise.allSettled(Array.from({ length: LANES }, lane))
    for (const result of lanes) if (result.status === 'rejected') throw result.reason
    const ms = Math.round(performance.now() - started)
    console.info(`damage trials: ${TRIALS} in ${ms} ms, ${JSON.stringify(stats)}`)
    // The trials must reach both ends: losses that are named, snapshots rescued from memory.
    if (TRIALS >= 100) expect(Math.min(stats.lostAndNamed, stats.fromMemory)).toBeGreaterThan(0)
  }, 300_000)
})
