/**
 * Type feedback for the batch kernels before their first real call.
 *
 * A batch kernel runs its hot loop in its very first call, and V8 optimises it on the fly (OSR)
 * and compiles the whole function for the next calls while that first call is still in the loop.
 * Code the first call has not yet reached (after the loop), or ran before V8 allocated the
 * function's feedback vector (ahead of the loop: vectors are allocated lazily), is compiled
 * without type feedback and deoptimises when reached. V8 can then settle in a state where every
 * call starts in the interpreter, enters the cached OSR code and deoptimises at its end: measured
 * 2-3x slower per call (ATR 8.5 ms instead of 2.9 per 1M bars, MACD 17 instead of 5), in some
 * processes and not others. Running each kernel a dozen times on a short series when its module
 * loads gives every path feedback first; it costs microseconds.
 */

/** Bars of the priming series: longer than the warm-up of any default parameters. */
export const PRIME_BARS = 64

/** A short, valid, deterministic series (high >= close >= low, all finite). */
export const primeSeries = (() => {
  const close = new Float64Array(PRIME_BARS)
  const high = new Float64Array(PRIME_BARS)
  const low = new Float64Array(PRIME_BARS)
  for (let i = 0; i < PRIME_BARS; i++) {
    const c = 100 + 5 * Math.sin(i * 0.7) + 0.25 * (i % 5)
    close[i] = c
    high[i] = c + 0.5 + 0.25 * (i % 3)
    low[i] = c - 0.5 - 0.25 * (i % 4)
  }
  return { high, low, close }
})()

/** Runs a kernel enough times for V8 to allocate its feedback vector and fill it. */
export function prime(run: () => void): void {
  for (let i = 0; i < 12; i++) run()
}
