/** Fibonacci retracement levels, as TradingView draws them by default. */
export const FIB_LEVELS = [0, 0.236, 0.382, 0.5, 0.618, 0.786, 1] as const

export interface FibLevel {
  level: number
  /** At the market's precision. */
  price: number
}

/**
 * The levels of a retracement drawn from `from` (level 1, where the move started) to `to`
 * (level 0, where it ended), each price rounded half away from zero to `precision` decimals:
 * the prices are computed in whole units of that precision, so 0.5 of an odd number of ticks
 * rounds the same way every time and never shows a float's tail (43,250.30000000004).
 */
export function fibLevels(from: number, to: number, precision: number): FibLevel[] {
  const f = 10 ** precision
  const a = Math.round(from * f)
  const b = Math.round(to * f)
  return FIB_LEVELS.map((level) => {
    const units = b + (a - b) * level
    const whole = Math.sign(units) * Math.round(Math.abs(units) + 1e-9)
    return { level, price: whole / f }
  })
}
