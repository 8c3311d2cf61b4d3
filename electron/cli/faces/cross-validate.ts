/**
 * An estimate that holds for people the threshold was never chosen on. The enrolled people (and,
 * apart, the impostor identities) are dealt into folds; for each fold the threshold rule sees
 * only the other folds' people, and the chosen threshold is then tried on the held-out people:
 * their genuine probes against the whole gallery, and their faces searched as strangers (own
 * templates left out) together with the held-out impostors. Errors are pooled over the folds of
 * one repeat; repeats deal the folds anew, and their spread shows how much the figure depends on
 * who happened to be held out.
 */
import { mulberry32 } from '../../shared/random'
import { answer, nearestIn, type Collected } from './evaluate'

export interface CrossValidationOptions {
  folds: number
  repeats: number
  seed: number
  margin: number
  /** How far below the strangers' mean distance the rule sets the threshold, in their sd. */
  sigmas: number
}

export const defaultCrossValidation = { folds: 5, repeats: 20, seed: 1 }

/** The rule's settings tried, least cautious first, when it is calibrated to a target. */
export const sigmaLadder = [2.5, 3, 3.5, 4, 4.5, 5]

/** The rule calibrated so that people it never saw meet the target, and what it chooses. */
export interface Calibrated {
  targetFpir: number
  /** The least cautious rule whose cross-validated FPIR meets the target (else the last). */
  chosen: CrossValidated
  met: boolean
  /** The threshold the chosen rule picks from everyone: the recommended default. */
  threshold: number
  /** Every rule tried, for the report. */
  tried: CrossValidated[]
}

export interface Spread {
  mean: number
  sd: number
  min: number
  max: number
}

export interface CrossValidated extends CrossValidationOptions {
  /** Genuine probes of held-out people not identified as themselves (over repeats). */
  fnir: Spread
  /** Held-out impostors and held-out people searched as strangers who matched anyone. */
  fpirLeaveOneOut: Spread
  /** Held-out genuine probes identified as someone else, per repeat. */
  misidentified: Spread
  /** The thresholds the rule chose, one per fold. */
  threshold: Spread
  /** FNIR of single folds: how far one unlucky set of people strays from the mean. */
  foldFnir: Spread
}

/** Who is held out in one fold, and the threshold the rule chose without them. */
interface Fold {
  people: Set<string>
  impostors: Set<string>
  threshold: number
}

/** Runs the whole cross-validation of the threshold rule on collected probes. */
export function crossValidate(
  collected: Collected,
  options: CrossValidationOptions,
): CrossValidated {
  const people = collected.enrolled.map((e) => e.identity)
  const impostors = [
    ...new Set(collected.probes.filter((p) => !p.genuine).map((p) => p.identity)),
  ].sort()
  const random = mulberry32(options.seed)
  const perRepeat: { fnir: number; fpir: number; misidentified: number }[] = []
  const thresholds: number[] = []
  const foldFnir: number[] = []
  for (let r = 0; r < options.repeats; r++) {
    const peopleFolds = deal(people, options.folds, random)
    const impostorFolds = deal(impostors, options.folds, random)
    const total = { genuine: 0, missed: 0, wrong: 0, searches: 0, accepted: 0 }
    for (let f = 0; f < options.folds; f++) {
      const heldOut = { people: peopleFolds[f]!, impostors: impostorFolds[f]! }
      const training = {
        people: new Set(people.filter((p) => !heldOut.people.has(p))),
        impostors: new Set(impostors.filter((p) => !heldOut.impostors.has(p))),
      }
      const threshold = chooseThreshold(collected, training, options.sigmas)
      const counts = tryFold(collected, { ...heldOut, threshold }, options.margin)
      thresholds.push(threshold)
      if (counts.genuine > 0) foldFnir.push(counts.missed / counts.genuine)
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += counts[key]
    }
    perRepeat.push({
      fnir: share(total.missed, total.genuine),
      fpir: share(total.accepted, total.searches),
      misidentified: total.wrong,
    })
  }
  return {
    ...options,
    fnir: spread(perRepeat.map((r) => r.fnir)),
    fpirLeaveOneOut: spread(perRepeat.map((r) => r.fpir)),
    misidentified: spread(perRepeat.map((r) => r.misidentified)),
    threshold: spread(thresholds),
    foldFnir: spread(foldFnir),
  }
}

/**
 * Tries the rule at each step of `sigmaLadder` and keeps the first whose cross-validated
 * leave-one-out FPIR is within `targetFpir`. That calibration is made on the same folds it is
 * reported on, so its figure is a little optimistic; a set of people kept apart is the check.
 */
export function calibrate(
  collected: Collected,
  options: Omit<CrossValidationOptions, 'sigmas'> & { targetFpir: number },
): Calibrated {
  const tried: CrossValidated[] = []
  for (const sigmas of sigmaLadder) {
    tried.push(crossValidate(collected, { ...options, sigmas }))
    if (tried.at(-1)!.fpirLeaveOneOut.mean <= options.targetFpir) break
  }
  const chosen = tried.at(-1)!
  const everyone = {
    people: new Set(collected.enrolled.map((e) => e.identity)),
    impostors: new Set(collected.probes.filter((p) => !p.genuine).map((p) => p.identity)),
  }
  return {
    targetFpir: options.targetFpir,
    chosen,
    met: chosen.fpirLeaveOneOut.mean <= options.targetFpir,
    threshold: chooseThreshold(collected, everyone, chosen.sigmas),
    tried,
  }
}

/**
 * The threshold rule: strangers' nearest distances in training (each training person's own
 * photos searched with their templates left out, and the training impostors; only training
 * people in the gallery) are taken as a normal distribution, and the threshold sits `sigmas`
 * standard deviations below their mean (to 0.001). A tail model uses every stranger, where an
 * empirical quantile at 0.5% of ~200 searches would rest on the single nearest one.
 */
export function chooseThreshold(
  collected: Collected,
  training: { people: ReadonlySet<string>; impostors: ReadonlySet<string> },
  sigmas: number,
): number {
  const nearest = collected.probes.flatMap((p) => {
    const seen = p.genuine ? training.people : training.impostors
    if (p.notAcquired || !seen.has(p.identity)) return []
    const [best] = nearestIn(p, { people: training.people, without: p.identity })
    return best ? [best.distance] : []
  })
  if (nearest.length < 2) return maxThreshold
  const { mean, sd } = spread(nearest)
  return Math.max(0, Math.min(maxThreshold, Math.floor((mean - sigmas * sd) * 1000) / 1000))
}

/** The config's largest threshold. */
const maxThreshold = 1.5

function tryFold(collected: Collected, fold: Fold, margin: number) {
  const limits = { threshold: fold.threshold, margin }
  const counts = { genuine: 0, missed: 0, wrong: 0, searches: 0, accepted: 0 }
  for (const p of collected.probes) {
    if (p.genuine && fold.people.has(p.identity)) {
      const said = answer(p, limits)
      counts.genuine++
      if (said !== p.identity) counts.missed++
      if (said !== null && said !== p.identity) counts.wrong++
      counts.searches++
      if (answer(p, limits, { without: p.identity }) !== null) counts.accepted++
    } else if (!p.genuine && fold.impostors.has(p.identity)) {
      counts.searches++
      if (answer(p, limits) !== null) counts.accepted++
    }
  }
  return counts
}

/** Shuffles `items` and deals them round-robin into `folds` sets. */
function deal(items: string[], folds: number, random: () => number): Set<string>[] {
  const shuffled = [...items]
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
  }
  const sets = Array.from({ length: folds }, () => new Set<string>())
  shuffled.forEach((item, i) => sets[i % folds]!.add(item))
  return sets
}

/** Mean, standard deviation, least and greatest of some values. */
export function spread(values: number[]): Spread {
  if (values.length === 0) return { mean: 0, sd: 0, min: 0, max: 0 }
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length
  return { mean, sd: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) }
}

/** `count` of `total` as a fraction; 0 when there is nothing to count. */
export function share(count: number, total: number): number {
  return total === 0 ? 0 : count / total
}
