/**
 * Band and oscillator strategies: RSI mean reversion, Bollinger mean reversion, Bollinger
 * breakout, Donchian breakout (turtle-style) and Supertrend follow. Each enters only when flat
 * (or on a reversal signal for the trend followers) and leaves on its own exit rule, or on the
 * stop-loss / take-profit / trailing exits.
 */
import { z } from 'zod'
import { NO_ORDERS, type BarState, type OrderIntent, type StrategyDefinition } from '../strategy'
import { exitParams, exitRanges, withExits } from './exits'

const BUY: readonly OrderIntent[] = Object.freeze([{ type: 'market', side: 'buy' }])
const SELL: readonly OrderIntent[] = Object.freeze([{ type: 'market', side: 'sell' }])
const CLOSE: readonly OrderIntent[] = Object.freeze([{ type: 'close', reason: 'signal' }])
const CLOSE_BUY: readonly OrderIntent[] = Object.freeze([{ type: 'close', reason: 'signal' }, ...BUY])
const CLOSE_SELL: readonly OrderIntent[] = Object.freeze([{ type: 'close', reason: 'signal' }, ...SELL])

const rsiParams = z
  .object({
    period: z.number().int().min(2).max(1000).default(14).describe('RSI period'),
    lower: z.number().min(0).max(100).default(30).describe('buy below this RSI'),
    upper: z.number().min(0).max(100).default(70).describe('sell short above this RSI'),
    exit: z.number().min(0).max(100).default(50).describe('leave when the RSI comes back past this level'),
    ...exitParams,
  })
  .refine((p) => p.lower < p.exit && p.exit < p.upper, {
    message: 'lower < exit < upper',
    path: ['exit'],
  })

export const rsiReversion: StrategyDefinition<typeof rsiParams> = {
  id: 'rsi-reversion',
  title: 'RSI mean reversion',
  description:
    'When flat: long when the RSI closes below `lower`, short when it closes above `upper`. A long leaves when the RSI closes above `exit`, a short when it closes below it.',
  params: rsiParams,
  ranges: {
    period: { min: 2, max: 50, step: 1 },
    lower: { min: 5, max: 45, step: 5 },
    upper: { min: 55, max: 95, step: 5 },
    exit: { min: 30, max: 70, step: 5 },
    ...exitRanges,
  },
  create: (p) => {
    const { indicators, exits } = withExits([{ id: 'rsi', params: { period: p.period } }], p)
    return {
      indicators,
      exits,
      decide(bar: BarState) {
        const r = bar.now[0]!
        if (bar.position > 0) return r > p.exit ? CLOSE : NO_ORDERS
        if (bar.position < 0) return r < p.exit ? CLOSE : NO_ORDERS
        if (r < p.lower) return BUY
        if (r > p.upper) return SELL
        return NO_ORDERS
      },
    }
  },
}

const bbParams = z.object({
  period: z.number().int().min(2).max(1000).default(20).describe('Bollinger period'),
  mult: z.number().gt(0).max(10).default(2).describe('standard deviations'),
  ...exitParams,
})
const bbRanges = {
  period: { min: 5, max: 100, step: 1 },
  mult: { min: 0.5, max: 4, step: 0.25 },
  ...exitRanges,
}
function bands(p: z.output<typeof bbParams>): ReturnType<typeof withExits> {
  const params = { period: p.period, mult: p.mult }
  return withExits(
    [
      { id: 'bbands', params, output: 'upper' },
      { id: 'bbands', params, output: 'middle' },
      { id: 'bbands', params, output: 'lower' },
    ],
    p,
  )
}

export const bollingerReversion: StrategyDefinition<typeof bbParams> = {
  id: 'bollinger-reversion',
  title: 'Bollinger mean reversion',
  description:
    'When flat: long when the close is below the lower band, short when above the upper band. Leaves when the close crosses back over the middle band.',
  params: bbParams,
  ranges: bbRanges,
  create: (p) => ({
    ...bands(p),
    decide(bar: BarState) {
      const [upper, middle, lower] = [bar.now[0]!, bar.now[1]!, bar.now[2]!]
      const c = bar.close
      if (bar.position > 0) return c >= middle ? CLOSE : NO_ORDERS
      if (bar.position < 0) return c <= middle ? CLOSE : NO_ORDERS
      if (c < lower) return BUY
      if (c > upper) return SELL
      return NO_ORDERS
    },
  }),
}

export const bollingerBreakout: StrategyDefinition<typeof bbParams> = {
  id: 'bollinger-breakout',
  title: 'Bollinger breakout',
  description:
    'Long when the close breaks above the upper band, short when it breaks below the lower band (closing the opposite position); a position also leaves when the close crosses back over the middle band.',
  params: bbParams,
  ranges: bbRanges,
  create: (p) => ({
    ...bands(p),
    decide(bar: BarState) {
      const [upper, middle, lower] = [bar.now[0]!, bar.now[1]!, bar.now[2]!]
      const c = bar.close
      if (c > upper && bar.position <= 0) return bar.position < 0 ? CLOSE_BUY : BUY
      if (c < lower && bar.position >= 0) return bar.position > 0 ? CLOSE_SELL : SELL
      if (bar.position > 0 && c < middle) return CLOSE
      if (bar.position < 0 && c > middle) return CLOSE
      return NO_ORDERS
    },
  }),
}

const donchianParams = z
  .object({
    entry: z.number().int().min(2).max(1000).default(20).describe('breakout channel period'),
    exit: z.number().int().min(1).max(1000).default(10).describe('exit channel period'),
    ...exitParams,
  })
  .refine((p) => p.exit <= p.entry, { message: 'exit must not exceed entry', path: ['exit'] })

export const donchianBreakout: StrategyDefinition<typeof donchianParams> = {
  id: 'donchian-breakout',
  title: 'Donchian breakout (turtle)',
  description:
    "Turtle-style: long when the close exceeds the highest high of the previous `entry` bars, short when it falls below their lowest low; a long leaves below the previous `exit` bars' lowest low, a short above their highest high.",
  params: donchianParams,
  ranges: { entry: { min: 5, max: 100, step: 1 }, exit: { min: 2, max: 50, step: 1 }, ...exitRanges },
  create: (p) => {
    const { indicators, exits } = withExits(
      [
        { id: 'donchian', params: { period: p.entry }, output: 'upper' },
        { id: 'donchian', params: { period: p.entry }, output: 'lower' },
        { id: 'donchian', params: { period: p.exit }, output: 'upper' },
        { id: 'donchian', params: { period: p.exit }, output: 'lower' },
      ],
      p,
    )
    return {
      indicators,
      exits,
      // The channels include their own bar, so breakouts compare with the previous bar's values.
      decide(bar: BarState) {
        const c = bar.close
        const q = bar.prev
        if (bar.position > 0) return c < q[3]! ? CLOSE : NO_ORDERS
        if (bar.position < 0) return c > q[2]! ? CLOSE : NO_ORDERS
        if (c > q[0]!) return BUY
        if (c < q[1]!) return SELL
        return NO_ORDERS
      },
    }
  },
}

const supertrendParams = z.object({
  period: z.number().int().min(1).max(1000).default(10).describe('ATR period'),
  multiplier: z.number().gt(0).max(20).default(3).describe('ATR multiplier'),
  ...exitParams,
})

export const supertrendFollow: StrategyDefinition<typeof supertrendParams> = {
  id: 'supertrend-follow',
  title: 'Supertrend follow',
  description:
    'Long when the Supertrend direction turns up (closing any short), short when it turns down (closing any long; when shorts are allowed).',
  params: supertrendParams,
  ranges: { period: { min: 5, max: 50, step: 1 }, multiplier: { min: 1, max: 6, step: 0.5 }, ...exitRanges },
  create: (p) => {
    const { indicators, exits } = withExits(
      [{ id: 'supertrend', params: { period: p.period, multiplier: p.multiplier }, output: 'direction' }],
      p,
    )
    return {
      indicators,
      exits,
      decide(bar: BarState) {
        const d = bar.now[0]!
        const before = bar.prev[0]!
        if (d === 1 && before === -1) return bar.position < 0 ? CLOSE_BUY : BUY
        if (d === -1 && before === 1) return bar.position > 0 ? CLOSE_SELL : SELL
        return NO_ORDERS
      },
    }
  },
}
