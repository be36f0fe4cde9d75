/**
 * Order book arithmetic shared by the engine and the renderer: levels travel as decimal strings
 * (`["93500.12", "0.4375"]`), and grouping them into coarser price steps or summing their depth
 * is done on integers (bigint units at the widest scale present), so a total is exact whatever
 * the step. Pure: no node, no DOM.
 */

/** One price level: [price, size], both decimal strings. */
export type BookLevel = readonly [price: string, size: string]

/** Decimal places of a plain decimal string ("0.010" -> 3, "12" -> 0). */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.')
  return dot < 0 ? 0 : text.length - dot - 1
}

/** `text` as an integer count of 10^-scale (scale >= its own decimals). */
export function toUnits(text: string, scale: number): bigint {
  const negative = text.startsWith('-')
  const body = negative ? text.slice(1) : text
  const dot = body.indexOf('.')
  const whole = dot < 0 ? body : body.slice(0, dot)
  const frac = dot < 0 ? '' : body.slice(dot + 1)
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(frac) || whole.length + frac.length === 0)
    throw new Error(`not a decimal: "${text}"`)
  if (frac.length > scale) throw new Error(`"${text}" has more than ${scale} decimals`)
  const units = BigInt((whole || '0') + frac.padEnd(scale, '0'))
  return negative ? -units : units
}

/** Units of 10^-scale back to a plain decimal string, trailing zeros kept to `scale`. */
export function fromUnits(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
  return negative ? `-${text}` : text
}

/** A number as a plain decimal string (no exponent): what the wire carries for ccxt's doubles. */
export function plainDecimal(n: number): string {
  const s = String(n)
  if (!/e/i.test(s)) return s
  // Tiny or huge doubles: the shortest fixed form that reads back as the same double.
  for (let places = 0; places <= 20; places++) {
    const fixed = n.toFixed(places)
    if (Number(fixed) === n) return fixed
  }
  return n.toFixed(20)
}

/** The tick of `places` decimals as a string: 2 -> "0.01", 0 -> "1". */
export function tickOfPlaces(places: number): string {
  return places <= 0 ? '1' : `0.${'0'.repeat(places - 1)}1`
}

/**
 * The aggregation steps a book offers: the tick and its multiples by 10 (and 5) up to about
 * 1% of the price, as exchanges offer them (0.01, 0.1, 1, 10, 50, 100 for BTC at 93,000).
 */
export function bookSteps(tick: string, price: number): string[] {
  const scale = decimalsOf(tick)
  const tickUnits = toUnits(tick, scale)
  if (tickUnits <= 0n) return [tick]
  const limit = Number.isFinite(price) && price > 0 ? price / 100 : Number(tick)
  const steps: string[] = [tick]
  // Multiples 10, 50, 100, 500, 1000, ... of the tick.
  for (let m = 10n; steps.length < 8; m *= 10n) {
    for (const k of [m, m * 5n]) {
      const step = trimZeros(fromUnits(tickUnits * k, scale))
      if (Number(step) > limit) return steps
      steps.push(step)
    }
  }
  return steps.slice(0, 8)
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** One level after grouping: its price, its size, and the running total from the best level. */
export interface AggregatedLevel {
  price: string
  size: string
  /** Cumulative size from the best level to this one (exact). */
  total: string
}

/**
 * Groups one side into buckets of `step` (a multiple of the tick): bids round down to the step
 * and asks up, as exchanges group them, so a bucket never shows a better price than its orders.
 * Levels must be best first; the answer is best first, with exact sizes and running totals.
 */
export function aggregateSide(
  levels: readonly BookLevel[],
  step: string,
  side: 'bid' | 'ask',
  maxLevels = Number.POSITIVE_INFINITY,
): AggregatedLevel[] {
  if (levels.length === 0) return []
  const priceScale = Math.max(decimalsOf(step), ...levels.map((l) => decimalsOf(l[0])))
  const sizeScale = Math.max(0, ...levels.map((l) => decimalsOf(l[1])))
  const stepUnits = toUnits(step, priceScale)
  if (stepUnits <= 0n) throw new Error(`step must be positive, got "${step}"`)
  const out: { bucket: bigint; size: bigint }[] = []
  for (const [p, s] of levels) {
    const units = toUnits(p, priceScale)
    const floor = units / stepUnits - (units % stepUnits < 0n ? 1n : 0n)
    const bucket = side === 'bid' || units % stepUnits === 0n ? floor : floor + 1n
    const size = toUnits(s, sizeScale)
    const last = out[out.length - 1]
    if (last && last.bucket === bucket) last.size += size
    else {
      if (out.length >= maxLevels) break
      out.push({ bucket, size })
    }
  }
  let total = 0n
  return out.map(({ bucket, size }) => {
    total += size
    return {
      price: fromUnits(bucket * stepUnits, priceScale),
      size: fromUnits(size, sizeScale),
      total: fromUnits(total, sizeScale),
    }
  })
}

/** Best bid, best ask, their spread in price and in basis points of the mid, and the mid. */
export interface Spread {
  bid: string
  ask: string
  mid: string
  spread: string
  bps: number
}

export function spreadOf(bids: readonly BookLevel[], asks: readonly BookLevel[]): Spread | null {
  const bid = bids[0]?.[0]
  const ask = asks[0]?.[0]
  if (bid === undefined || ask === undefined) return null
  const scale = Math.max(decimalsOf(bid), decimalsOf(ask)) + 1
  const b = toUnits(bid, scale)
  const a = toUnits(ask, scale)
  const mid = (a + b) / 2n
  const spread = a - b
  return {
    bid,
    ask,
    mid: trimZeros(fromUnits(mid, scale)),
    spread: fromUnits(spread / 10n, scale - 1),
    bps: mid === 0n ? 0 : (Number(spread) / Number(mid)) * 10_000,
  }
}
