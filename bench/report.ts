/** One measured number of a benchmark, with the goal it is held against. */
export type BenchRow = {
  name: string
  value: number
  unit: string
  /** The goal in words, e.g. "≤ 10 ms". */
  goal: string
  ok: boolean
}
