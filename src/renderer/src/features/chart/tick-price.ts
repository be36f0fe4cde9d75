/**
 * Prices snapped to a market's tick as exact decimal strings (`"60123.45"`), for what the
 * trader points at on the chart to reach the ticket and the engine unchanged. The tick is a
 * decimal string (`"0.01"`, `"0.5"`); the arithmetic is in integers of the tick's last digit,
 * so no binary fraction ever shows (`0.1 + 0.2` never becomes `0.30000000000000004`).
 */

/** `10^-precision` as a decimal string: 2 -> `"0.01"`, 0 -> `"1"`. */
export function tickOfPrecision(precision: number): string {
  const p = Math.max(0, Math.min(12, Math.floor(precision)))
  return p === 0 ? '1' : `0.${'0'.repeat(p - 1)}1`
}

interface Tick {
  /** The tick in units of 10^-scale. */
  units: bigint
  scale: number
}

function parseTick(tick: string): Tick {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(tick.trim())
  if (!m) throw new Error(`not a tick: ${tick}`)
  const frac = m[2] ?? ''
  const units = BigInt(`${m[1]}${frac}`)
  if (units <= 0n) throw new Error(`not a tick: ${tick}`)
  return { units, scale: frac.length }
}

/** `n` units of 10^-scale as a decimal string. */
function format(n: bigint, scale: number): string {
  const digits = n.toString().padStart(scale + 1, '0')
  if (scale === 0) return digits
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

/**
 * The multiple of `tick` nearest to `price` (halves up), at least one tick: a price the market
 * accepts, written with exactly the tick's decimals.
 */
export function snapToTick(price: number, tick: string): string {
  const t = parseTick(tick)
  if (!Number.isFinite(price) || price <= 0) return format(t.units, t.scale)
  // price / tick in floating point: prices a chart shows are far from 2^53 ticks.
  const steps = Math.round((price * 10 ** t.scale) / Number(t.units))
  const n = BigInt(Math.max(1, steps)) * t.units
  return format(n, t.scale)
}
