/**
 * What 68 face landmarks say about a face in ways a flat photo cannot fake: how open the eyes
 * are, and where the nose tip sits relative to the eye and mouth corners.
 */

export interface Point {
  x: number
  y: number
}

export interface FaceGeometry {
  /** Eyelid gap over nose length, per eye; about 0.15 open. */
  leftEye: number
  rightEye: number
  /**
   * The nose tip's across-the-face position in the frame spanned by the outer eye corners and
   * the mouth corners: about 0.5 facing the camera, lower or higher turned. The frame is
   * projective (four points), so turning, tilting or bringing a flat photo close leaves it
   * unchanged; only a nose that stands out of that plane moves it.
   */
  yaw: number
}

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y)

/**
 * Position of `point` in the unit square whose corners (0,0), (1,0), (1,1), (0,1) are
 * `quad[0..3]`, through the homography between the two (Heckbert's square-to-quad, inverted).
 */
export function squareCoordinates(quad: readonly Point[], point: Point): Point | null {
  const [p0, p1, p2, p3] = quad as [Point, Point, Point, Point]
  const dx1 = p1.x - p2.x
  const dx2 = p3.x - p2.x
  const dx3 = p0.x - p1.x + p2.x - p3.x
  const dy1 = p1.y - p2.y
  const dy2 = p3.y - p2.y
  const dy3 = p0.y - p1.y + p2.y - p3.y
  const den = dx1 * dy2 - dx2 * dy1
  if (den === 0) return null
  const g = (dx3 * dy2 - dx2 * dy3) / den
  const h = (dx1 * dy3 - dx3 * dy1) / den
  const a = p1.x - p0.x + g * p1.x
  const b = p3.x - p0.x + h * p3.x
  const d = p1.y - p0.y + g * p1.y
  const e = p3.y - p0.y + h * p3.y
  const [c, f] = [p0.x, p0.y]
  // The adjugate of [[a b c] [d e f] [g h 1]] maps image points back into the square.
  const w = (d * h - e * g) * point.x + (b * g - a * h) * point.y + (a * e - b * d)
  if (w === 0) return null
  return {
    x: ((e - f * h) * point.x + (c * h - b) * point.y + (b * f - c * e)) / w,
    y: ((f * g - d) * point.x + (a - c * g) * point.y + (c * d - a * f)) / w,
  }
}

/** The geometry of one frame, or null when the landmarks are not the 68-point layout. */
export function faceGeometry(landmarks: readonly Point[]): FaceGeometry | null {
  if (landmarks.length !== 68) return null
  const p = (i: number) => landmarks[i] as Point
  const nose = distance(p(27), p(33))
  if (nose <= 0) return null
  // Points 36–41 and 42–47 run round each eye; (1,5) and (2,4) are the upper/lower lid pairs.
  const eye = (first: number) =>
    (distance(p(first + 1), p(first + 5)) + distance(p(first + 2), p(first + 4))) / 2 / nose
  // Outer eye corners 36 and 45, mouth corners 54 and 48; 30 is the nose tip.
  const tip = squareCoordinates([p(36), p(45), p(54), p(48)], p(30))
  if (!tip || !Number.isFinite(tip.x)) return null
  return { leftEye: eye(36), rightEye: eye(42), yaw: tip.x }
}
