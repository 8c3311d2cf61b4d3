/**
 * Every enrolled face template in one float32 matrix, for 1:N identification by the nearest
 * template (Euclidean distance). Squared distances come from |q|² + |t|² − 2·q·t with the
 * template norms computed once at insertion, so a query is one pass of dot products.
 */
import { createDotKernel, DIMENSIONS, type DotKernel } from './dot-kernel'

/** A person and the distance from the query to their nearest template. */
export interface NearestPerson {
  employeeId: string
  distance: number
}

export class TemplateIndex {
  private readonly kernel: DotKernel
  /** Per row: squared norm of the template and the slot of the person it belongs to. */
  private norms = new Float64Array(0)
  private owners = new Int32Array(0)
  private rows = 0
  private readonly slotOf = new Map<string, number>()
  private readonly ids: string[] = []
  private readonly rowsOf: number[][] = []
  private readonly freeSlots: number[] = []

  /** `kernel: 'js'` skips the wasm SIMD kernel (tests compare the two). */
  constructor(options: { kernel?: 'auto' | 'js' } = {}) {
    this.kernel = createDotKernel(options.kernel)
  }

  /** Templates stored, over all people. */
  get size(): number {
    return this.rows
  }

  /** People with at least one template. */
  get people(): number {
    return this.slotOf.size
  }

  /** Whether the person has any template. */
  has(employeeId: string): boolean {
    return this.slotOf.has(employeeId)
  }

  /** Replaces a person's templates (none: removes them). Each vector has 128 finite numbers. */
  set(employeeId: string, vectors: Float32Array[]): void {
    vectors.forEach(checkDescriptor)
    this.remove(employeeId)
    if (vectors.length === 0) return
    const slot = this.freeSlots.pop() ?? this.ids.length
    this.slotOf.set(employeeId, slot)
    this.ids[slot] = employeeId
    this.rowsOf[slot] = []
    this.reserve(this.rows + vectors.length)
    const f = this.kernel.f32
    for (const vector of vectors) {
      const row = this.rows++
      const at = DIMENSIONS + row * DIMENSIONS
      f.set(vector, at)
      let norm = 0
      for (let k = at; k < at + DIMENSIONS; k++) norm += f[k]! * f[k]!
      this.norms[row] = norm
      this.owners[row] = slot
      this.rowsOf[slot]!.push(row)
    }
  }

  /** Removes a person's templates; the last rows move into the gaps to keep the matrix dense. */
  remove(employeeId: string): void {
    const slot = this.slotOf.get(employeeId)
    if (slot === undefined) return
    // Highest rows first, so the row moved into each gap never belongs to this person.
    for (const gap of [...this.rowsOf[slot]!].sort((a, b) => b - a)) {
      const last = --this.rows
      if (gap !== last) this.moveRow(last, gap)
    }
    this.slotOf.delete(employeeId)
    this.ids[slot] = ''
    this.rowsOf[slot] = []
    this.freeSlots.push(slot)
  }

  /** The nearest person and the nearest different person (best first; fewer if fewer people). */
  nearestPeople(descriptor: Float32Array): NearestPerson[] {
    checkDescriptor(descriptor)
    if (this.rows === 0) return []
    const f = this.kernel.f32
    f.set(descriptor, 0)
    const dots = this.kernel.dots(this.rows)
    const { norms, owners } = this
    // Ranked by |t|² − 2·q·t (|q|² is the same for every row); rows, not distances, are kept.
    let bestD = Infinity
    let bestRow = -1
    let secondD = Infinity
    let secondRow = -1
    for (let i = 0; i < this.rows; i++) {
      const d = norms[i]! - 2 * dots[i]!
      if (d >= secondD) continue
      if (bestRow >= 0 && owners[i] === owners[bestRow]) {
        if (d < bestD) {
          bestD = d
          bestRow = i
        }
      } else if (d < bestD) {
        secondD = bestD
        secondRow = bestRow
        bestD = d
        bestRow = i
      } else {
        secondD = d
        secondRow = i
      }
    }
    const found = [this.person(bestRow, f)]
    if (secondRow >= 0) found.push(this.person(secondRow, f))
    return found
  }

  /** The exact distance from the query (slots 0–127) to one row, which float32 dots blur near 0. */
  private person(row: number, f: Float32Array): NearestPerson {
    let sum = 0
    for (let k = 0, at = DIMENSIONS + row * DIMENSIONS; k < DIMENSIONS; k++, at++) {
      sum += (f[at]! - f[k]!) ** 2
    }
    return { employeeId: this.ids[this.owners[row]!]!, distance: Math.sqrt(sum) }
  }

  private reserve(rows: number): void {
    this.kernel.reserve(rows)
    if (this.norms.length >= rows) return
    const capacity = this.kernel.capacity
    const norms = new Float64Array(capacity)
    norms.set(this.norms)
    const owners = new Int32Array(capacity)
    owners.set(this.owners)
    this.norms = norms
    this.owners = owners
  }

  private moveRow(from: number, to: number): void {
    const f = this.kernel.f32
    const start = DIMENSIONS + from * DIMENSIONS
    f.copyWithin(DIMENSIONS + to * DIMENSIONS, start, start + DIMENSIONS)
    this.norms[to] = this.norms[from]!
    const slot = this.owners[from]!
    this.owners[to] = slot
    const rows = this.rowsOf[slot]!
    rows[rows.indexOf(from)] = to
  }
}

function checkDescriptor(vector: Float32Array): void {
  if (vector.length !== DIMENSIONS) {
    throw new RangeError(`a face descriptor has ${DIMENSIONS} numbers, got ${vector.length}`)
  }
  for (let k = 0; k < DIMENSIONS; k++) {
    if (!Number.isFinite(vector[k]))
      throw new RangeError('a face descriptor holds only finite numbers')
  }
}
