/**
 * Arithmetic shared by the streaming classes and the batch loops, so both run exactly the same
 * operations and give bit-identical results. Written without data-dependent branches: on
 * market data a gain-or-loss branch is a coin flip the CPU mispredicts half the time.
 */

/** The rise of a change, or 0. Exact: c + |c| is 2c or 0, and halving is exact. */
export function gainOf(change: number): number {
  return (change + Math.abs(change)) * 0.5
}

/** The fall of a change as a positive number, or 0. Exact for the same reason. */
export function lossOf(change: number): number {
  return (Math.abs(change) - change) * 0.5
}

/**
 * Wilder smoothing avg = (avg*(p-1) + x)/p, written avg*keep + x*take with keep = (p-1)/p and
 * take = 1/p: a multiply-add instead of a division on the chain from one bar to the next.
 * It differs from TA-Lib's form in the last bit only.
 */
export function wilder(avg: number, x: number, keep: number, take: number): number {
  return avg * keep + x * take
}

/** One EMA step, k*x + (1-k)*ema: k*x does not wait for the previous value. */
export function emaNext(ema: number, x: number, k: number, k1: number): number {
  return k * x + k1 * ema
}
