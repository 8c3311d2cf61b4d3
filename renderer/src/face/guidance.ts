/** What to tell the person in front of the camera, from the frame's quality and liveness. */
import type { QualityProblem } from '../../../electron/shared/face'
import type { LivenessPrompt } from './liveness'

export type Guidance =
  | 'moveCloser'
  | 'moreLight'
  | 'lessLight'
  | 'holdStill'
  | 'lookAtCamera'
  | 'blink'
  | 'turn'
  | 'blinkOrTurn'

// The first problem in this order wins: there is no use asking someone to hold still in the dark.
const byProblem: [QualityProblem, Guidance][] = [
  ['too-small', 'moveCloser'],
  ['too-dark', 'moreLight'],
  ['too-bright', 'lessLight'],
  ['off-centre', 'lookAtCamera'],
  ['not-frontal', 'lookAtCamera'],
  ['blurry', 'holdStill'],
]

const byPrompt: Record<LivenessPrompt, Guidance> = {
  blink: 'blink',
  turn: 'turn',
  'blink-or-turn': 'blinkOrTurn',
}

/** The one message for a face: its worst quality problem, else "hold still", else liveness. */
export function guidanceFor(
  problems: readonly QualityProblem[],
  steady: boolean,
  liveness: LivenessPrompt | null = null,
): Guidance | null {
  // While someone turns or blinks on request, the pose problems that causes are expected.
  const relevant = liveness
    ? problems.filter((p) => p !== 'not-frontal' && p !== 'blurry')
    : problems
  const problem = byProblem.find(([name]) => relevant.includes(name))
  if (problem) return problem[1]
  if (liveness) return byPrompt[liveness]
  return steady ? null : 'holdStill'
}
