/**
 * The numbers of `faces eval`: error rates at the configured threshold and margin, a sweep
 * around them, per-identity counts and the distance distributions. Names and distances only:
 * never a descriptor, never a picture.
 */
import type { DecisionLimits, NearestPerson } from '../../core/recognition'
import { share, type Calibrated, type Spread } from './cross-validate'
import {
  answer,
  nearestIn,
  type Collected,
  type EvalSettings,
  type Probe,
  type Protocol,
} from './evaluate'

export interface Rates {
  threshold: number
  margin: number
  /** Genuine probes not identified as the right person, failures to acquire included. */
  fnir: number
  /** Impostor probes identified as anyone. */
  fpir: number
  /** Genuine probes identified as someone else. */
  misidentified: number
  /**
   * FPIR over far more searches: the impostors plus every genuine probe searched as if its own
   * person were not enrolled (same decision code, margin included).
   */
  fpirLeaveOneOut: number
}

export interface FaceEvalReport extends Rates {
  minFaceSizePx: number
  protocol: Protocol
  /**
   * The estimate for people the threshold was never chosen on (cross-validate.ts): the rule
   * calibrated to the target FPIR, its folds' figures and the threshold it recommends.
   */
  crossValidated: Calibrated
  genuineProbes: number
  impostorProbes: number
  /** Genuine probes without a usable face (no face, or refused by the quality gate). */
  failedToAcquire: number
  impostorFailedToAcquire: number
  enrolled: Collected['enrolled']
  notEnrolled: string[]
  perIdentity: {
    identity: string
    probes: number
    identified: number
    notAcquired: number
    wrong: number
  }[]
  /**
   * Nearest-template distances, ascending: genuine probes to their own person and to the
   * nearest other person (a stranger's view of the gallery), impostors to anyone.
   */
  distances: { genuine: number[]; genuineToOthers: number[]; impostor: number[] }
  sweep: Rates[]
  probes: {
    file: string
    identity: string
    genuine: boolean
    answer: string | null
    distance: number | null
    notAcquired: string | null
  }[]
}

const sweepThresholds = [0.4, 0.425, 0.45, 0.475, 0.5, 0.525, 0.55, 0.575, 0.6, 0.625, 0.65]
const sweepMargins = [0, 0.05, 0.1]

/** Error rates of the collected probes under one threshold and margin. */
export function rates(collected: Collected, limits: DecisionLimits): Rates {
  const genuine = collected.probes.filter((p) => p.genuine)
  const impostors = collected.probes.filter((p) => !p.genuine)
  const said = (p: (typeof genuine)[number]) => answer(p, limits)
  return {
    ...limits,
    fnir: share(genuine.filter((p) => said(p) !== p.identity).length, genuine.length),
    fpir: share(impostors.filter((p) => said(p) !== null).length, impostors.length),
    misidentified: genuine.filter((p) => ![null, p.identity].includes(said(p))).length,
    fpirLeaveOneOut: share(
      impostors.filter((p) => said(p) !== null).length +
        genuine.filter((p) => answer(p, limits, { without: p.identity }) !== null).length,
      impostors.length + genuine.length,
    ),
  }
}

/** The whole report at the configured settings. */
export function buildReport(
  collected: Collected,
  settings: EvalSettings,
  protocol: Protocol,
  crossValidated: Calibrated,
): FaceEvalReport {
  const limits = { threshold: settings.threshold, margin: settings.margin }
  const genuine = collected.probes.filter((p) => p.genuine)
  const impostors = collected.probes.filter((p) => !p.genuine)
  return {
    ...rates(collected, limits),
    minFaceSizePx: settings.minFaceSizePx,
    protocol,
    crossValidated,
    genuineProbes: genuine.length,
    impostorProbes: impostors.length,
    failedToAcquire: genuine.filter((p) => p.notAcquired).length,
    impostorFailedToAcquire: impostors.filter((p) => p.notAcquired).length,
    enrolled: collected.enrolled,
    notEnrolled: collected.notEnrolled,
    perIdentity: collected.enrolled.map(({ identity }) => {
      const mine = genuine.filter((p) => p.identity === identity)
      const said = mine.map((p) => answer(p, limits))
      return {
        identity,
        probes: mine.length,
        identified: said.filter((s) => s === identity).length,
        notAcquired: mine.filter((p) => p.notAcquired).length,
        wrong: said.filter((s) => s !== null && s !== identity).length,
      }
    }),
    distances: distances(genuine, impostors),
    sweep: sweepMargins.flatMap((margin) =>
      sweepThresholds.map((threshold) => rates(collected, { threshold, margin })),
    ),
    probes: collected.probes.map((p) => ({
      file: p.file,
      identity: p.identity,
      genuine: p.genuine,
      answer: answer(p, limits),
      distance: p.toPeople.size > 0 ? round(nearestIn(p)[0]!.distance) : null,
      notAcquired: p.notAcquired === null ? null : [p.notAcquired].flat().join(', '),
    })),
  }
}

/** The report as a person reads it in a terminal. */
export function formatReport(r: FaceEvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const spread = (d: number[]) =>
    d.length === 0
      ? 'none'
      : `min ${d[0]}, median ${d[Math.floor(d.length / 2)]}, max ${d[d.length - 1]}`
  const { templates, choose } = r.protocol
  const lines = [
    `Enrolled ${r.enrolled.length} people (${r.enrolled.length * templates} templates, ${choose} ${templates} usable photos each)` +
      (r.notEnrolled.length
        ? `; NOT enrolled (fewer than ${templates} usable photos): ${r.notEnrolled.join(', ')}`
        : ''),
    `threshold ${r.threshold}, margin ${r.margin}, smallest face ${r.minFaceSizePx} px; a photo is one frame`,
    '',
    ...formatCrossValidated(r.crossValidated, r.threshold),
    '',
    `genuine probes   ${r.genuineProbes}   FNIR ${pct(r.fnir)} (of which ${r.failedToAcquire} without a usable face)`,
    `misidentified    ${r.misidentified}`,
    `impostor probes  ${r.impostorProbes}   FPIR ${pct(r.fpir)} (${r.impostorFailedToAcquire} without a usable face)`,
    '',
    `genuine distances   ${spread(r.distances.genuine)}`,
    `impostor distances  ${spread(r.distances.impostor)}`,
    `genuine probes to the nearest other person  ${spread(r.distances.genuineToOthers)}`,
    '',
    'threshold  margin  FNIR    FPIR    misidentified  FPIR leave-one-out',
    ...r.sweep.map(
      (s) =>
        `${s.threshold.toFixed(3).padEnd(9)}  ${s.margin.toFixed(2).padEnd(6)}  ${pct(s.fnir).padEnd(6)}  ${pct(s.fpir).padEnd(6)}  ${String(s.misidentified).padEnd(13)}  ${pct(s.fpirLeaveOneOut)}`,
    ),
    '',
    'genuine probes not identified as themselves:',
    ...r.probes
      .filter((p) => p.genuine && p.answer !== p.identity)
      .map(
        (p) =>
          `  ${p.file}: ${p.notAcquired ?? (p.answer ? `taken for ${p.answer}` : `distance ${p.distance}`)}`,
      ),
    'impostor probes identified:',
    ...r.probes
      .filter((p) => !p.genuine && p.answer)
      .map((p) => `  ${p.file}: taken for ${p.answer}`),
  ]
  return lines.join('\n')
}

/** The cross-validated part: what people the threshold never saw can expect. */
function formatCrossValidated(c: Calibrated, configured: number): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`
  const range = (s: Spread, as = pct) => `${as(s.mean)} (sd ${as(s.sd)}, ${as(s.min)}–${as(s.max)})`
  const count = (x: number) => x.toFixed(1)
  const { chosen } = c
  return [
    `Cross-validated by person (${chosen.folds} folds × ${chosen.repeats} repeats, seed ${chosen.seed}; threshold chosen without the held-out people):`,
    `  rule: ${chosen.sigmas} sd below the strangers' mean distance, the least cautious rule whose FPIR ≤ ${pct(c.targetFpir)}${c.met ? '' : ' — NONE MET IT, the most cautious is shown'}`,
    `  FNIR                ${range(chosen.fnir)}; single folds ${pct(chosen.foldFnir.min)}–${pct(chosen.foldFnir.max)}`,
    `  FPIR leave-one-out  ${range(chosen.fpirLeaveOneOut)}`,
    `  misidentified       ${range(chosen.misidentified, count)} per repeat`,
    `  thresholds chosen   ${range(chosen.threshold, (x) => x.toFixed(3))}`,
    `  recommended threshold ${c.threshold} from everyone (config has ${configured})`,
    '  rules tried: ' +
      c.tried
        .map(
          (t) => `${t.sigmas} sd → FNIR ${pct(t.fnir.mean)}, FPIR ${pct(t.fpirLeaveOneOut.mean)}`,
        )
        .join('; '),
    '',
    'In-sample (threshold and photos the same; optimistic for new people):',
  ]
}

function distances(genuine: Probe[], impostors: Probe[]): FaceEvalReport['distances'] {
  const to = (p: Probe, mate: boolean): NearestPerson[] => {
    if (!mate) return nearestIn(p, { without: p.identity }).slice(0, 1)
    const own = p.toPeople.get(p.identity)
    return own === undefined ? [] : [{ employeeId: p.identity, distance: own }]
  }
  const list = (found: NearestPerson[]) => sorted(found.map((n) => round(n.distance)))
  return {
    genuine: list(genuine.flatMap((p) => to(p, true))),
    genuineToOthers: list(genuine.flatMap((p) => to(p, false))),
    impostor: list(impostors.flatMap((p) => nearestIn(p).slice(0, 1))),
  }
}

function round(distance: number): number {
  return Math.round(distance * 1000) / 1000
}

function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b)
}
