/**
 * 1:N face matching in core: one `nearestPeople` query against 10,000 and 100,000 templates
 * (five per person). Descriptors are synthetic but shaped like face-api's on real faces: the
 * shared mean, spread between people and spread within a person measured on ../shared/faces,
 * so that the same person lands ~0.4 apart and different people ~0.8 apart.
 */
import { TemplateIndex } from '../electron/core/recognition'
import type { BenchRow } from './report'
import { gaussian, mulberry32 } from '../test/fixtures/random'

const sizes: [string, number, number][] = [
  ['10k', 10_000, 1],
  ['100k', 100_000, 8],
]
const perPerson = 5
const queries = 400
const warmup = 50

/** Median and p90 of one query (half enrolled people, half strangers) at each index size. */
export async function benchMatching(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const [label, templates, goalMs] of sizes) {
    const random = mulberry32(templates)
    const model = faceModel(random)
    const index = new TemplateIndex()
    const centres: Float32Array[] = []
    for (let p = 0; p * perPerson < templates; p++) {
      const centre = model.person()
      centres.push(centre)
      index.set(
        `emp-${p}`,
        Array.from({ length: perPerson }, () => model.sample(centre)),
      )
    }
    const probes = Array.from({ length: warmup + queries }, (_, i) =>
      model.sample(i % 2 === 0 ? centres[Math.floor(random() * centres.length)]! : model.person()),
    )
    const times: number[] = []
    probes.forEach((probe, i) => {
      const started = performance.now()
      index.nearestPeople(probe)
      if (i >= warmup) times.push(performance.now() - started)
    })
    rows.push(row(`1:N match, median @${label} templates`, percentile(times, 0.5), goalMs))
    rows.push(row(`1:N match, p90 @${label} templates`, percentile(times, 0.9), goalMs))
  }
  return rows
}

/** Descriptor generator: people around a shared mean, samples around each person. */
function faceModel(random: () => number) {
  const gauss = () => gaussian(random)
  const mean = Array.from({ length: 128 }, () => gauss() * 0.1)
  return {
    person: () => Float32Array.from(mean, (m) => m + gauss() * 0.042),
    sample: (centre: Float32Array) => Float32Array.from(centre, (c) => c + gauss() * 0.025),
  }
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function row(name: string, ms: number, goalMs: number): BenchRow {
  return {
    name,
    value: Math.round(ms * 1000) / 1000,
    unit: 'ms',
    goal: `≤ ${goalMs} ms`,
    ok: ms <= goalMs,
  }
}
