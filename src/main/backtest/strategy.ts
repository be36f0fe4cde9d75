/**
 * What a strategy is: parameters (a zod schema with defaults, plus ranges for a parameter
 * form or a search), the indicators it reads (ids of the engine's indicator registry, so the
 * values equal the chart's), exits (stop-loss, take-profit, trailing stop), and a decision
 * function called once per closed bar that returns orders.
 *
 * A decision sees only closed bars: the bar itself, the indicator values at that bar (`now`)
 * and at the bar before (`prev`), its position and the account. It never sees a later bar, so
 * the same object can run on paper or live accounts, where the runner streams closed bars into
 * the same indicators (their streaming and batch forms are bit-identical).
 */
import type { z } from 'zod'
import type { CandleSeries, ParamValue } from '../indicators'

/** One indicator output the strategy reads; its values land at this position in `now`/`prev`. */
export interface IndicatorUse {
  /** Registry id: `sma`, `ema`, `macd`, `rsi`, `bbands`, `donchian`, `supertrend`, `atr`... */
  id: string
  params?: Readonly<Record<string, ParamValue>>
  /** Output name for indicators with several outputs (`signal`, `upper`...); default the first. */
  output?: string
  /**
   * A column the registry does not have (the signals' score), computed from the run's bars cut
   * at the range's end; `id` and `params` then only name it. Bar i's value may read bars up to i.
   */
  compute?: (series: CandleSeries) => Float64Array
}

/** The closed bar a decision is made on, with the strategy's view of its account. */
export interface BarState {
  readonly symbol: string
  /** 0-based index of the bar in the symbol's input series. */
  readonly index: number
  readonly time: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
  /** Indicator values at this bar, in the order of the strategy's `indicators`; NaN in warm-up. */
  readonly now: Float64Array
  /** The same values at the bar before (NaN before the series' first bar). */
  readonly prev: Float64Array
  /** Signed units held in this symbol (negative = short). */
  readonly position: number
  /** Average entry price of the position; NaN when flat. */
  readonly entryPrice: number
  /** Account equity marked at this close, and free cash. */
  readonly equity: number
  readonly cash: number
}

export type Side = 'buy' | 'sell'

/**
 * Orders a decision returns. Without `size`, an entry order is sized by the run's sizing and is
 * a target: a buy while short first closes the short, a buy while already long does nothing
 * (and the same for sells). With `size` (units > 0) it adds to or reduces the position as given.
 * Entries in a direction the run does not allow (`sides`) are dropped; closes always go.
 */
export type OrderIntent =
  | { type: 'market'; side: Side; size?: number }
  | { type: 'limit'; side: Side; price: number; size?: number; expireBars?: number }
  | { type: 'stop'; side: Side; stop: number; size?: number; expireBars?: number }
  | { type: 'stop-limit'; side: Side; stop: number; price: number; size?: number; expireBars?: number }
  /** Close the whole position at market (next open, or this close with fill=close). */
  | { type: 'close'; reason?: string }
  /** Cancel the symbol's working (not yet filled) entry orders. */
  | { type: 'cancel' }

/** An exit distance from the entry price: a fraction of it, or a multiple of the ATR. */
export type ExitDistance = { kind: 'percent'; value: number } | { kind: 'atr'; value: number }

/** Exits attached to every position the strategy opens; levels are fixed at the entry fill. */
export interface ExitRules {
  stopLoss?: ExitDistance
  takeProfit?: ExitDistance
  /** Distance the stop trails behind the best price reached since entry. */
  trailing?: ExitDistance
  /** Position in `indicators` of the ATR read for `atr` distances (at the signal bar). */
  atrSlot?: number
}

/** A strategy configured with parameters: what the engine runs. */
export interface StrategyInstance {
  readonly indicators: readonly IndicatorUse[]
  readonly exits: ExitRules
  /** Called once per closed bar; return `NO_ORDERS` (not a new array) when there is nothing. */
  decide(bar: BarState): readonly OrderIntent[]
}

/** A range a parameter form or an optimiser walks: inclusive bounds and a step. */
export interface ParamRange {
  min: number
  max: number
  step: number
}

export interface StrategyDefinition<S extends z.ZodType = z.ZodType> {
  /** Stable id: `sma-cross`, `ema-cross`... */
  id: string
  title: string
  /** What it does in a few sentences (the CLI's --list-strategies and the view's help). */
  description: string
  /** Parameters with defaults; `parse({})` gives the defaults. */
  params: S
  /** Ranges for numeric parameters (form bounds, optimisation grids). */
  ranges: Readonly<Record<string, ParamRange>>
  create(params: z.output<S>): StrategyInstance
}

/** The shared empty answer: a decision without orders allocates nothing. */
export const NO_ORDERS: readonly OrderIntent[] = Object.freeze([])

/** `a` crossed above `b` on this bar: below (strictly) on the previous bar, above (strictly) now. */
export function crossedAbove(prevA: number, prevB: number, a: number, b: number): boolean {
  return prevA < prevB && a > b
}

export function crossedBelow(prevA: number, prevB: number, a: number, b: number): boolean {
  return prevA > prevB && a < b
}
