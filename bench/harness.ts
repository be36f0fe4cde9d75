/**
 * Benchmarks print one JSON object per line: `{name, value, unit, ...}`. Ratios against peers
 * are computed in the same run, on the same machine, so they mean something.
 */
export interface BenchRecord {
  name: string
  value: number
  unit: string
  [extra: string]: unknown
}

export function report(record: BenchRecord): void {
  process.stdout.write(JSON.stringify(record) + '\n')
}

/**
 * Runs `fn` repeatedly for at least `minMs` after `warmup` runs; returns the best (lowest)
 * milliseconds per run, which is the least noisy estimate on a shared machine.
 */
export function bestOf(fn: () => void, { warmup = 2, minRuns = 5, minMs = 300 } = {}): number {
  for (let i = 0; i < warmup; i++) fn()
  let best = Infinity
  let runs = 0
  const start = performance.now()
  while (runs < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now()
    fn()
    const dt = performance.now() - t0
    if (dt < best) best = dt
    runs++
  }
  return best
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]!
}

/**
 * Reports a set of timings (ms) as one record: the median as the value, with the best run,
 * p90 and the run count beside it, each to 0.1 ms.
 */
export function reportSpread(
  name: string,
  samplesMs: readonly number[],
  extra: Record<string, unknown> = {},
): void {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  const tenth = (x: number): number => Math.round(x * 10) / 10
  report({
    name,
    value: tenth(percentile(sorted, 50)),
    unit: 'ms',
    best: tenth(sorted[0] ?? NaN),
    p90: tenth(percentile(sorted, 90)),
    runs: sorted.length,
    ...extra,
  })
}
