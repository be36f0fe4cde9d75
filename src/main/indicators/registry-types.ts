import type { Candle } from '../../shared/domain/candles'
import type { CandleField, CandleSeries } from './core/series'

/** A numeric parameter; `integer` ones reject fractions. */
export interface NumberParam {
  name: string
  kind: 'integer' | 'number'
  default: number
  min: number
  /** When true the value must be strictly greater than `min`. */
  exclusiveMin?: boolean
  description: string
}

/** A parameter that picks a convention by name, e.g. MACD seeding or the VWAP session. */
export interface ChoiceParam {
  name: string
  kind: 'choice'
  default: string
  choices: readonly string[]
  description: string
}

export type ParamDescriptor = NumberParam | ChoiceParam
export type ParamValue = number | string
/** Parameter values by name, complete and validated once resolved. */
export type ParamValues = Readonly<Record<string, ParamValue>>

export interface OutputDescriptor {
  name: string
  description: string
  /** How a chart draws it; `none` = a value for tables and signals, not drawn. */
  plot: 'line' | 'histogram' | 'dots' | 'none'
  /** Bars a chart shifts the line by when drawing it (+ = right); Ichimoku's spans. */
  offset?: (params: ParamValues) => number
}

/** The streaming form: one closed bar per `update`; `preview` never changes state. */
export interface IndicatorStream {
  /** Output names, in the order of the returned values. */
  readonly outputs: readonly string[]
  update(bar: Candle): Float64Array
  preview(bar: Candle): Float64Array
}

export interface IndicatorDescriptor {
  /** Lowercase id used in specs: `sma`, `macd`, `bbands`... */
  id: string
  title: string
  /** Conventions in one or two sentences, for tooltips and `--list`. */
  description: string
  /** Candle fields it reads. */
  inputs: readonly CandleField[]
  /** Drawn over the price (`overlay`) or in a pane of its own (`separate`). */
  pane: 'overlay' | 'separate'
  params: readonly ParamDescriptor[]
  outputs: readonly OutputDescriptor[]
  /**
   * Batch: one column per output, in `outputs` order; NaN during warm-up. Parameters not given
   * take their defaults; all are validated.
   */
  compute(
    candles: CandleSeries | readonly Candle[],
    params?: Readonly<Record<string, ParamValue>>,
  ): Float64Array[]
  createStream(params?: Readonly<Record<string, ParamValue>>): IndicatorStream
}
