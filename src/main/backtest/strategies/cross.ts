/**
 * Crossing strategies: SMA cross, EMA cross and MACD cross. On the bar where the fast line
 * crosses above the slow one (strictly below on the previous bar, strictly above now) the
 * strategy closes any short and goes long; where it crosses below, it closes any long and, when
 * the run allows shorts, goes short (a short entry is dropped by the engine otherwise).
 */
import { z } from 'zod'
import {
  NO_ORDERS,
  crossedAbove,
  crossedBelow,
  type BarState,
  type OrderIntent,
  type StrategyDefinition,
  type StrategyInstance,
} from '../strategy'
import { exitParams, exitRanges, withExits } from './exits'

const BUY: readonly OrderIntent[] = Object.freeze([{ type: 'market', side: 'buy' }])
const SELL: readonly OrderIntent[] = Object.freeze([{ type: 'market', side: 'sell' }])
const CLOSE_BUY: readonly OrderIntent[] = Object.freeze([
  { type: 'close', reason: 'signal' },
  { type: 'market', side: 'buy' },
])
const CLOSE_SELL: readonly OrderIntent[] = Object.freeze([
  { type: 'close', reason: 'signal' },
  { type: 'market', side: 'sell' },
])

/** The decision shared by the crossing strategies: slot 0 is the fast line, slot 1 the slow. */
export function crossDecision(bar: BarState): readonly OrderIntent[] {
  const p = bar.prev
  const v = bar.now
  if (crossedAbove(p[0]!, p[1]!, v[0]!, v[1]!)) return bar.position < 0 ? CLOSE_BUY : BUY
  if (crossedBelow(p[0]!, p[1]!, v[0]!, v[1]!)) return bar.position > 0 ? CLOSE_SELL : SELL
  return NO_ORDERS
}

const fastSlow = z
  .object({
    fast: z.number().int().min(1).max(10000).default(10).describe('fast average period'),
    slow: z.number().int().min(2).max(10000).default(30).describe('slow average period'),
    ...exitParams,
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be below slow', path: ['fast'] })

const fastSlowRanges = {
  fast: { min: 2, max: 100, step: 1 },
  slow: { min: 5, max: 300, step: 5 },
  ...exitRanges,
}

function averageCross(id: 'sma' | 'ema', p: z.output<typeof fastSlow>): StrategyInstance {
  const { indicators, exits } = withExits(
    [
      { id, params: { period: p.fast } },
      { id, params: { period: p.slow } },
    ],
    p,
  )
  return { indicators, exits, decide: crossDecision }
}

export const smaCross: StrategyDefinition<typeof fastSlow> = {
  id: 'sma-cross',
  title: 'SMA cross',
  description:
    'Long when the fast SMA of the close crosses above the slow SMA (closing any short); on a cross below, closes any long and goes short when shorts are allowed.',
  params: fastSlow,
  ranges: fastSlowRanges,
  create: (p) => averageCross('sma', p),
}

export const emaCross: StrategyDefinition<typeof fastSlow> = {
  id: 'ema-cross',
  title: 'EMA cross',
  description: 'As sma-cross, on exponential moving averages (TA-Lib EMA, SMA seed).',
  params: fastSlow,
  ranges: fastSlowRanges,
  create: (p) => averageCross('ema', p),
}

const macdParams = z
  .object({
    fast: z.number().int().min(1).max(1000).default(12).describe('fast EMA period'),
    slow: z.number().int().min(2).max(1000).default(26).describe('slow EMA period'),
    signal: z.number().int().min(1).max(1000).default(9).describe('signal EMA period'),
    ...exitParams,
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be below slow', path: ['fast'] })

export const macdCross: StrategyDefinition<typeof macdParams> = {
  id: 'macd-cross',
  title: 'MACD cross',
  description:
    'Long when the MACD line crosses above its signal line (closing any short); on a cross below, closes any long and goes short when shorts are allowed.',
  params: macdParams,
  ranges: {
    fast: { min: 2, max: 50, step: 1 },
    slow: { min: 5, max: 100, step: 1 },
    signal: { min: 2, max: 50, step: 1 },
    ...exitRanges,
  },
  create: (p) => {
    const params = { fast: p.fast, slow: p.slow, signal: p.signal }
    const { indicators, exits } = withExits(
      [
        { id: 'macd', params, output: 'macd' },
        { id: 'macd', params, output: 'signal' },
      ],
      p,
    )
    return { indicators, exits, decide: crossDecision }
  },
}
