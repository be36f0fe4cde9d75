/**
 * Signal score: trades the signals domain's multi-timeframe score (0 strong sell .. 100 strong
 * buy, src/main/signals/README.md), computed over the run's bars by the same code
 * (`../signal-score.ts`). Long when the score crosses up to `entry`, short (when the run allows
 * shorts) when it crosses down to `100 - entry`; a long leaves when the score falls below `exit`,
 * a short when it rises above `100 - exit`.
 */
import { z } from 'zod'
import { TIMEFRAMES } from '../../../shared/domain/timeframes'
import { cachedSignalScoreColumn } from '../signal-score'
import { NO_ORDERS, type BarState, type OrderIntent, type StrategyDefinition } from '../strategy'
import { exitParams, exitRanges, withExits } from './exits'

const BUY: readonly OrderIntent[] = Object.freeze([{ type: 'market', side: 'buy' }])
const SELL: readonly OrderIntent[] = Object.freeze([{ type: 'market', side: 'sell' }])
const CLOSE: readonly OrderIntent[] = Object.freeze([{ type: 'close', reason: 'signal' }])
const CLOSE_BUY: readonly OrderIntent[] = Object.freeze([{ type: 'close', reason: 'signal' }, ...BUY])
const CLOSE_SELL: readonly OrderIntent[] = Object.freeze([{ type: 'close', reason: 'signal' }, ...SELL])

const params = z
  .object({
    entry: z
      .number()
      .gt(50)
      .max(100)
      .default(60)
      .describe('long when the score crosses up to this; short when it crosses down to 100 - entry'),
    exit: z
      .number()
      .min(0)
      .lt(100)
      .default(50)
      .describe('a long leaves when the score falls below this; a short when it rises above 100 - exit'),
    timeframe: z
      .enum(['auto', ...TIMEFRAMES])
      .default('auto')
      .describe('timeframe of the bars (auto: from their spacing); higher ones are built from them'),
    ...exitParams,
  })
  .refine((p) => p.exit < p.entry, { message: 'exit must be below entry', path: ['exit'] })

export type SignalScoreParams = z.output<typeof params>

/**
 * The decision on one bar, slot 0 being the score. A cross up to a level: below it on the bar
 * before, at or above it now (the signals' `buy` starts at 60 the same way); a cross down mirrors
 * it. The first scored bar has no bar before it and crosses nothing.
 */
export function signalScoreDecision(p: SignalScoreParams, bar: BarState): readonly OrderIntent[] {
  const s = bar.now[0]!
  const before = bar.prev[0]!
  if (s !== s) return NO_ORDERS
  const shortAt = 100 - p.entry
  const up = before < p.entry && s >= p.entry
  const down = before > shortAt && s <= shortAt
  if (bar.position > 0) return down ? CLOSE_SELL : s < p.exit ? CLOSE : NO_ORDERS
  if (bar.position < 0) return up ? CLOSE_BUY : s > 100 - p.exit ? CLOSE : NO_ORDERS
  if (up) return BUY
  if (down) return SELL
  return NO_ORDERS
}

export const signalScore: StrategyDefinition<typeof params> = {
  id: 'signal-score',
  title: 'Signal score',
  description:
    'Trades the multi-timeframe signal score (the Signals panel’s, same rules; higher timeframes built from the run’s bars, closed bars only). Long when the score crosses up to `entry`, short when it crosses down to 100 - `entry` (when shorts are allowed); a long leaves when the score falls below `exit`, a short when it rises above 100 - `exit`.',
  params,
  ranges: {
    entry: { min: 52, max: 90, step: 2 },
    exit: { min: 10, max: 70, step: 2 },
    ...exitRanges,
  },
  create: (p) => {
    const tf = p.timeframe === 'auto' ? undefined : p.timeframe
    const { indicators, exits } = withExits(
      [
        {
          id: 'signal-score',
          params: { timeframe: p.timeframe },
          compute: (s) => cachedSignalScoreColumn(s, tf),
        },
      ],
      p,
    )
    return { indicators, exits, decide: (bar: BarState) => signalScoreDecision(p, bar) }
  },
}
