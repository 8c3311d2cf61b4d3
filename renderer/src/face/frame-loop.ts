/**
 * The camera frame loop: every frame gets the fast path (detect the faces, landmarks, quality);
 * a descriptor is computed only when the consumer wants one for a steady, good face (the same
 * box for at least two frames, large enough, frontal and sharp: the pipeline's quality gate). While
 * nobody is there the loop drops to a few frames a second to spare the CPU.
 */
import type { AnalysedFace, FrameAnalysis } from '../../../electron/shared/face'
import { FaceTracker, type TrackState } from './face-track'
import { DESCRIPTOR_MEASURE, FRAME_MEASURE, measureSince } from './timing'

/** The face pipeline over the engine, for one frame drawn on a canvas. */
export interface FramePipeline {
  analyse(frame: HTMLCanvasElement): Promise<FrameAnalysis>
  /** The 128-number descriptor of a face found by `analyse` on the same frame. */
  describe(frame: HTMLCanvasElement, face: AnalysedFace): Promise<number[]>
}

export type { AnalysedFace, FrameAnalysis }

export interface FrameView {
  /** performance.now() when the frame was taken. */
  at: number
  faceCount: number
  face: AnalysedFace | null
  /** The face being followed, or null when nobody is there. */
  track: TrackState | null
}

export interface FrameConsumer {
  /** Every analysed frame, in order. */
  frame(view: FrameView): void
  /** Whether this frame's face is worth a descriptor now (it is steady and of good quality). */
  wantsDescriptor(view: FrameView): boolean
  /** The descriptor of that face; the loop waits for this before the next frame. */
  descriptor(values: number[], view: FrameView): Promise<void>
  /** A frame failed to analyse; the loop goes on. */
  failed?(error: unknown): void
}

export interface FrameLoopOptions {
  /** Frames apart while no face is in view, ms. */
  idleIntervalMs: number
  /** Consecutive still frames before a face counts as steady. */
  steadyFrames: number
}

export const defaultLoopOptions: FrameLoopOptions = { idleIntervalMs: 150, steadyFrames: 2 }

/** Runs the pipeline on a video until stopped. */
export class FrameLoop {
  private stopped = false
  private timer: ReturnType<typeof setTimeout> | undefined
  // Two canvases in turn: the frame before this one is kept while it showed a face.
  private readonly canvases = [document.createElement('canvas'), document.createElement('canvas')]
  private turn = 0
  private previous: { frame: HTMLCanvasElement; view: FrameView } | null = null
  private readonly tracker = new FaceTracker()

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly pipeline: FramePipeline,
    private readonly consumer: FrameConsumer,
    private readonly options: FrameLoopOptions = defaultLoopOptions,
  ) {}

  start(): void {
    this.stopped = false
    this.next(0)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.tracker.reset()
    this.previous = null
  }

  private next(delayMs: number): void {
    if (this.stopped) return
    const onFrame = () => void this.tick()
    const waitForFrame = () => {
      if (this.stopped) return
      // Only a new camera frame is worth analysing; older engines lack the video callback.
      if (this.video.requestVideoFrameCallback) this.video.requestVideoFrameCallback(onFrame)
      else requestAnimationFrame(onFrame)
    }
    if (delayMs > 0) this.timer = setTimeout(waitForFrame, delayMs)
    else waitForFrame()
  }

  private async tick(): Promise<void> {
    if (this.stopped) return
    let faceInView = false
    try {
      faceInView = await this.analyseFrame()
    } catch (error) {
      this.previous = null
      this.consumer.failed?.(error)
    }
    this.next(faceInView ? 0 : this.options.idleIntervalMs)
  }

  /** A still copy of the current video frame: both steps must see the same picture. */
  private grab(): HTMLCanvasElement | null {
    const { videoWidth: width, videoHeight: height } = this.video
    if (!width || !height) return null
    const canvas = this.canvases[this.turn]!
    this.turn = 1 - this.turn
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width
      canvas.height = height
    }
    const context = canvas.getContext('2d', { willReadFrequently: true })
    context?.drawImage(this.video, 0, 0, width, height)
    return context ? canvas : null
  }

  private async analyseFrame(): Promise<boolean> {
    const at = performance.now()
    const frame = this.grab()
    if (!frame) return false
    const { faceCount, face = null } = await this.pipeline.analyse(frame)
    measureSince(FRAME_MEASURE, at)
    const track = this.tracker.update(face?.box ?? null, at)
    const view: FrameView = { at, faceCount, face, track }
    if (this.stopped) return false
    this.consumer.frame(view)
    const { steadyFrames } = this.options
    if (face && track && track.steadyFrames >= steadyFrames && face.quality.ok) {
      // The face has just turned out steady: the frame before showed it in the same place, so
      // it is as good a sample, and describing it too lets main agree one frame sooner.
      const earlier = this.previous
      if (
        track.steadyFrames === steadyFrames &&
        earlier?.view.track?.id === track.id &&
        earlier.view.face?.quality.ok
      ) {
        await this.describe(earlier.frame, earlier.view)
      }
      await this.describe(frame, view)
    }
    this.previous = face ? { frame, view } : null
    return face !== null
  }

  private async describe(frame: HTMLCanvasElement, view: FrameView): Promise<void> {
    if (this.stopped || !view.face || !this.consumer.wantsDescriptor(view)) return
    const start = performance.now()
    const values = await this.pipeline.describe(frame, view.face)
    measureSince(DESCRIPTOR_MEASURE, start)
    if (!this.stopped) await this.consumer.descriptor(values, view)
  }
}
