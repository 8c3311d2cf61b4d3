/** Types of the face pipeline, shared by the renderer (browser build) and the CLI (node-wasm). */
import type * as FaceApiModule from '@vladmandic/face-api'
import type { tf } from '@vladmandic/face-api'

/** The face-api module itself, passed in by the caller: each runtime loads its own build. */
export type FaceApi = typeof FaceApiModule

/** A camera frame or still: an RGB tensor [height, width, 3] or a video, image or canvas. */
export type FrameInput = tf.Tensor3D | FaceApiModule.TMediaElement

export interface Point {
  x: number
  y: number
}

/** A rectangle in frame pixels. */
export interface FaceBox {
  x: number
  y: number
  width: number
  height: number
}

export type QualityProblem =
  'too-small' | 'not-frontal' | 'blurry' | 'too-dark' | 'too-bright' | 'off-centre'

/** What the quality gate saw; `ok` when `problems` is empty. Angles in degrees. */
export interface FaceQuality {
  ok: boolean
  problems: QualityProblem[]
  /** Head turn; positive when the nose points towards the frame's right. */
  yaw: number
  /** Head nod; positive when the chin is raised. */
  pitch: number
  /** In-plane tilt of the eye line; reported, not gated (alignment undoes it). */
  roll: number
  /** Mean luma of the face, 0–255. */
  brightness: number
  /** Variance of the Laplacian of the face's luma at 96×96; higher is sharper. */
  sharpness: number
  /** Width of the face box, frame pixels. */
  sizePx: number
  /** Distance of the face centre from the frame centre, as a fraction of half the frame (0–1+). */
  centreOffset: number
}

/** Limits of the quality gate; enrolment and identification use the same ones. */
export interface QualityLimits {
  minFaceSizePx: number
  maxYawDeg: number
  maxPitchDeg: number
  minBrightness: number
  maxBrightness: number
  minSharpness: number
  /** Largest `centreOffset`; null skips the check (a still photo's framing is not a position). */
  maxCentreOffset: number | null
}

/** Which detector finds faces: Tiny (fast, every frame) or SSD MobileNet (slower). */
export type DetectorSettings =
  | { kind: 'tiny'; inputSize: number; scoreThreshold: number }
  | { kind: 'ssd'; minConfidence: number }

export interface AnalyseOptions {
  detector?: DetectorSettings
  quality?: Partial<QualityLimits>
  /** Compute the 128-d descriptor of the chosen face (default false: the every-frame path). */
  descriptor?: boolean
}

export interface AnalysedFace {
  box: FaceBox
  /** Detector confidence, 0–1. */
  score: number
  /** The 68 landmarks (iBUG order), frame pixels. */
  landmarks: Point[]
  /** The landmark-aligned crop the descriptor is computed from. */
  alignedBox: FaceBox
  quality: FaceQuality
  descriptor?: Float32Array
}

export interface FrameAnalysis {
  /** Faces the detector saw; the largest one is `face`. */
  faceCount: number
  frame: { width: number; height: number }
  face?: AnalysedFace
}
