// Grow-only work columns reused across calls, so an optimiser that asks for statistics of
// thousands of runs does not allocate (and collect) two columns per run. Each module instance
// (one per worker thread) has its own; a caller never keeps them past its call.
const columns: Float64Array[] = []

/** Work column `slot` with at least n elements (its contents are garbage). */
export function scratch(slot: number, n: number): Float64Array {
  let c = columns[slot]
  if (c === undefined || c.length < n) {
    c = new Float64Array(Math.max(n, 1024))
    columns[slot] = c
  }
  return c
}
