/**
 * The face pipeline the kiosk screen and the CLI share. Pure TypeScript: the caller passes in
 * the face-api module it loaded (browser build in the renderer, node-wasm build in the CLI),
 * with the tfjs `wasm` backend set and the nets from `requiredNets()` loaded.
 *
 * Usage:
 *
 *   import * as faceapi from '@vladmandic/face-api'
 *   import { analyseFrame, requiredNets } from '../../electron/shared/face'
 *
 *   await Promise.all(requiredNets(faceapi).map((net) => net.loadFromUri('./models')))
 *   // every frame: detection, landmarks and the quality gate, no descriptor (~50 ms)
 *   const seen = await analyseFrame(faceapi, video, { quality: { minFaceSizePx } })
 *   // guide the person with seen.face?.quality.problems; once ok, on a snapshot of the frame:
 *   const shot = await analyseFrame(faceapi, canvas, { quality: { minFaceSizePx }, descriptor: true })
 *   if (shot.face?.quality.ok) send(Array.from(shot.face.descriptor!))
 *
 * The largest face wins when several are seen; `faceCount` tells how many there were.
 */
export { analyseFrame, defaultDetector, describeFace, requiredNets } from './analyse'
export { estimatePose, type HeadPose } from './pose'
export { defaultQualityLimits } from './quality'
export type * from './types'
