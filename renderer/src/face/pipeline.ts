/**
 * The shared face pipeline (electron/shared/face) over this screen's engine: the fast path on
 * every frame, the descriptor on request, the quality gate with this kiosk's minimum face size.
 */
import type { FaceSettings } from '../../../electron/shared/types'
import { analyseFrame, describeFace } from '../../../electron/shared/face'
import type { FaceEngine } from './engine'
import type { FramePipeline } from './frame-loop'

export function createPipeline(engine: FaceEngine, settings: FaceSettings): FramePipeline {
  const { faceapi } = engine
  const options = { quality: { minFaceSizePx: settings.minFaceSizePx } }
  return {
    analyse: (frame) => analyseFrame(faceapi, frame, options),
    describe: async (frame, face) => Array.from(await describeFace(faceapi, frame, face)),
  }
}
