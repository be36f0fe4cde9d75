import { AppError } from '../../shared/contract/errors'
import type { CompareOp, MarketCondition } from '../../shared/contract/alerts'
import type { Candle } from '../../shared/domain/candles'
import { checkIndicator, indicatorFeed, indicatorWarmup, operandFeed, priceOf } from './operands'

/**
 * What a condition says about one bar (forming or closed). `hit`: it holds now. For level
 * conditions (`compare`), `distance` is left - right and `side` the side a hit is on, for the
 * runner's hysteresis; `margin` is what a percent hysteresis is a share of (|right|).
 */
export interface Verdict {
  hit: boolean
  values: Record<string, number | null>
  distance?: number
  side?: 'above' | 'below'
  scale?: number
}

export interface Evaluator {
  /** Closed bars to run through `step` before its verdicts are the chart's. */
  readonly warmup: number
  /** The condition in words: `close crossing up 43250`. */
  readonly describe: string
  /**
   * The verdict on `bar`; a closed bar is committed (it becomes "the previous bar" of what comes
   * next), a forming one is compared with the last evaluation before it. Null while warming up.
   */
  step(bar: Candle, closed: boolean): Verdict | null
}

const WORDS: Record<CompareOp, string> = {
  crossing: 'crossing',
  crossing_up: 'crossing up',
  crossing_down: 'crossing down',
  greater: 'greater than',
  less: 'less than',
}

/**
 * Crossing, exactly at the level: `d` is left - right. Crossing up means the previous evaluation
 * was strictly below (d < 0) and this one is at or above it (d >= 0): reaching the level counts,
 * and a value that sits on the level fires once, not again as it leaves it upward (it has to go
 * strictly below to cross up again). Crossing down mirrors it. A gap through the level is a
 * crossing like any other: the previous value is the last close, on either side.
 */
export function crossed(op: CompareOp, prev: number | null, d: number): 'above' | 'below' | null {
  switch (op) {
    case 'greater':
      return d > 0 ? 'above' : null
    case 'less':
      return d < 0 ? 'below' : null
    case 'crossing_up':
      return prev !== null && prev < 0 && d >= 0 ? 'above' : null
    case 'crossing_down':
      return prev !== null && prev > 0 && d <= 0 ? 'below' : null
    case 'crossing':
      return crossed('crossing_up', prev, d) ?? crossed('crossing_down', prev, d)
  }
}

/**
 * The previous evaluation's value: a forming bar is compared with the last look before it (the
 * previous update of the same bar, or the last close), a closed bar with the last look inside it,
 * so its close does not fire again a crossing an intrabar look already saw.
 */
function memory<T>() {
  let latest: T | null = null
  return {
    prev: () => latest,
    set(value: T | null) {
      latest = value
    },
  }
}

function isNum(x: number): boolean {
  return Number.isFinite(x)
}

/** Compiles a condition on a series, checked against the indicator registry (`path` names it). */
export function compileCondition(c: MarketCondition, path: string, tfMs: number): Evaluator {
  switch (c.type) {
    case 'compare': {
      const left = operandFeed(c.left, `${path}.left`, tfMs)
      const right = operandFeed(c.right, `${path}.right`, tfMs)
      if (c.left.kind === 'value' && c.right.kind === 'value') {
        throw new AppError('validation', 'compare a price or an indicator, not two values', `${path}.left`)
      }
      const mem = memory<number>()
      return {
        warmup: Math.max(left.feed.warmup, right.feed.warmup),
        describe: `${left.label} ${WORDS[c.op]} ${right.label}`,
        step(bar, closed) {
          const l = left.feed.read(bar, closed)
          const r = right.feed.read(bar, closed)
          if (!isNum(l) || !isNum(r)) {
            mem.set(null)
            return null
          }
          const d = l - r
          const side = crossed(c.op, mem.prev(), d)
          mem.set(d)
          return {
            hit: side !== null,
            values: { left: l, right: r, close: bar.close },
            distance: d,
            ...(side ? { side } : {}),
            scale: Math.abs(r),
          }
        },
      }
    }
    case 'move': {
      const atr =
        c.by.unit === 'atr'
          ? indicatorFeed(checkIndicator('atr', { period: c.by.atrPeriod }, 'atr', `${path}.by`), tfMs)
          : null
      const closes: number[] = []
      const n = c.bars
      const unit = c.by.unit === 'percent' ? '%' : ` ATR(${c.by.unit === 'atr' ? c.by.atrPeriod : ''})`
      return {
        warmup: Math.max(n, atr?.warmup ?? 0),
        describe: `moving ${c.direction} ${c.by.value}${unit} within ${n} bars`,
        step(bar, closed) {
          const a = atr ? atr.read(bar, closed) : NaN
          const from = closes.length >= n ? closes[closes.length - n]! : NaN
          if (closed) {
            closes.push(bar.close)
            if (closes.length > n) closes.shift()
          }
          if (!isNum(from) || (atr && !isNum(a))) return null
          const change = bar.close - from
          const signed = c.direction === 'up' ? change : -change
          const need = c.by.unit === 'percent' ? (Math.abs(from) * c.by.value) / 100 : c.by.value * a
          return {
            hit: signed >= need,
            values: {
              close: bar.close,
              from,
              changePercent: from !== 0 ? (change / from) * 100 : null,
              ...(atr ? { atr: a } : {}),
            },
          }
        },
      }
    }
    case 'channel': {
      const band = channelFeeds(c.channel, `${path}.channel`, tfMs)
      const mem = memory<boolean>()
      return {
        warmup: band.warmup,
        describe: `${c.price} ${c.op} ${band.label}`,
        step(bar, closed) {
          const { lower, upper } = band.read(bar, closed)
          const p = priceOf(bar, c.price)
          if (!isNum(lower) || !isNum(upper)) {
            mem.set(null)
            return null
          }
          const inside = p >= lower && p <= upper
          const prev = mem.prev()
          mem.set(inside)
          const hit =
            c.op === 'inside'
              ? inside
              : c.op === 'outside'
                ? !inside
                : c.op === 'entering'
                  ? prev === false && inside
                  : prev === true && !inside
          return { hit, values: { price: p, lower, upper } }
        },
      }
    }
    case 'volume_spike': {
      const n = c.bars
      const vols: number[] = []
      let sum = 0
      return {
        warmup: n,
        describe: `volume above ${c.factor}x its ${n}-bar average`,
        step(bar, closed) {
          const full = vols.length === n
          const avg = sum / n
          if (closed) {
            vols.push(bar.volume)
            sum += bar.volume
            if (vols.length > n) sum -= vols.shift()!
          }
          if (!full) return null
          return { hit: bar.volume > c.factor * avg, values: { volume: bar.volume, average: avg } }
        },
      }
    }
    case 'signal_score':
      throw new AppError('internal', 'the signal score is evaluated on signal updates, not on bars')
  }
}

interface Band {
  warmup: number
  label: string
  read(bar: Candle, closed: boolean): { lower: number; upper: number }
}

function channelFeeds(
  ch: Extract<MarketCondition, { type: 'channel' }>['channel'],
  path: string,
  tfMs: number,
): Band {
  if (ch.kind === 'values') {
    if (!(ch.lower < ch.upper)) {
      throw new AppError(
        'validation',
        "the channel's lower value must be below its upper value",
        `${path}.lower`,
      )
    }
    return {
      warmup: 0,
      label: `${ch.lower}..${ch.upper}`,
      read: () => ({ lower: ch.lower, upper: ch.upper }),
    }
  }
  // Both bands from one stream: update() must run once per closed bar.
  const ref = checkIndicator(ch.kind, ch.params, undefined, path)
  const names = ref.descriptor.outputs.map((o) => o.name)
  const lo = names.indexOf('lower')
  const up = names.indexOf('upper')
  const stream = ref.descriptor.createStream(ref.params)
  const label = ref.label.replace(/\.\w+$/, '')
  if (ch.kind === 'donchian') {
    // Donchian's bands are the highest high and lowest low including the bar's own, so no price of
    // a bar is ever outside them: like the turtle breakout (backtest/strategies/bands.ts), the
    // price is compared with the channel of the closed bars before it.
    let before = { lower: NaN, upper: NaN }
    return {
      warmup: indicatorWarmup(ref, tfMs) + 1,
      label: `${label} of the bars before`,
      read(bar, closed) {
        const out = before
        if (closed) {
          const v = stream.update(bar)
          before = { lower: v[lo]!, upper: v[up]! }
        }
        return out
      },
    }
  }
  return {
    warmup: indicatorWarmup(ref, tfMs),
    label,
    read(bar, closed) {
      const v = closed ? stream.update(bar) : stream.preview(bar)
      return { lower: v[lo]!, upper: v[up]! }
    },
  }
}
