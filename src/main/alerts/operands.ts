import { AppError } from '../../shared/contract/errors'
import { MAX_ALERT_PERIOD, type Operand } from '../../shared/contract/alerts'
import type { Candle } from '../../shared/domain/candles'
import { fetchBars, warmupRule } from '../charting/warmup'
import { getIndicator, type IndicatorDescriptor, type IndicatorStream, type ParamValues } from '../indicators'
import { resolveParams } from '../indicators/params'

/** Alerts never warm an indicator on more bars than this (cumulative ones: OBV, VWAP without sessions). */
export const MAX_ALERT_WARMUP = 20_000

/**
 * One number per bar for a condition. `read(bar, closed)`: a closed bar is committed (the
 * indicator's `update`), a forming one only looked at (`preview`, which changes nothing), so a
 * value never depends on a bar after the one it is read on.
 */
export interface Feed {
  read(bar: Candle, closed: boolean): number
  /** Closed bars it needs before its values equal the chart's (see charting/warmup.ts). */
  readonly warmup: number
}

/** A checked indicator: its descriptor, resolved parameters and the output's place. */
export interface IndicatorRef {
  descriptor: IndicatorDescriptor
  params: ParamValues
  output: number
  /** `RSI(14)`, `MACD(12,26,9).signal`: for descriptions. */
  label: string
}

/**
 * Checks an indicator, its parameters and output against the registry, with `path` naming the
 * field (`params.alert.condition.left`): an unknown id or output, a parameter out of range
 * (integer parameters are periods: 1..MAX_ALERT_PERIOD).
 */
export function checkIndicator(
  id: string,
  given: Readonly<Record<string, number | string>>,
  output: string | undefined,
  path: string,
): IndicatorRef {
  let descriptor: IndicatorDescriptor
  try {
    descriptor = getIndicator(id)
  } catch (err) {
    throw rePath(err, `${path}.indicator`)
  }
  let params: ParamValues
  try {
    params = resolveParams(descriptor.id, descriptor.params, given)
  } catch (err) {
    const name = err instanceof AppError && err.path ? err.path : ''
    throw rePath(err, `${path}.params${name ? `.${name}` : ''}`)
  }
  for (const d of descriptor.params) {
    const v = params[d.name]
    if (d.kind === 'integer' && typeof v === 'number' && v > MAX_ALERT_PERIOD) {
      throw new AppError(
        'validation',
        `${descriptor.id}: ${d.name} must be at most ${MAX_ALERT_PERIOD}, got ${v}`,
        `${path}.params.${d.name}`,
      )
    }
  }
  const names = descriptor.outputs.map((o) => o.name)
  const at = output === undefined ? 0 : names.indexOf(output)
  if (at < 0) {
    throw new AppError(
      'validation',
      `${descriptor.id} has no output "${output}" (outputs: ${names.join(', ')})`,
      `${path}.output`,
    )
  }
  const numbers = descriptor.params.map((d) => params[d.name]).filter((v) => typeof v === 'number')
  const label =
    `${descriptor.id.toUpperCase()}(${numbers.join(',')})` +
    (descriptor.outputs.length > 1 ? `.${names[at]}` : '')
  return { descriptor, params, output: at, label }
}

function rePath(err: unknown, path: string): unknown {
  return err instanceof AppError ? new AppError(err.kind, err.message, path) : err
}

/** Bars an indicator needs before its first value equals a full-history computation. */
export function indicatorWarmup(ref: IndicatorRef, tfMs: number): number {
  return Math.min(MAX_ALERT_WARMUP, fetchBars(warmupRule(ref.descriptor.id, ref.params), tfMs) + 1)
}

/** A feed over one indicator output through its streaming form (the same arithmetic as the chart's batch). */
export function indicatorFeed(ref: IndicatorRef, tfMs: number): Feed {
  const stream: IndicatorStream = ref.descriptor.createStream(ref.params)
  const i = ref.output
  return {
    warmup: indicatorWarmup(ref, tfMs),
    read: (bar, closed) => (closed ? stream.update(bar) : stream.preview(bar))[i]!,
  }
}

export function priceOf(bar: Candle, field: 'last' | 'close' | 'open' | 'high' | 'low'): number {
  switch (field) {
    case 'last':
    case 'close':
      return bar.close
    case 'open':
      return bar.open
    case 'high':
      return bar.high
    case 'low':
      return bar.low
  }
}

/** A feed for an operand, checked (`path` names it in errors). */
export function operandFeed(op: Operand, path: string, tfMs: number): { feed: Feed; label: string } {
  switch (op.kind) {
    case 'price':
      return { feed: { warmup: 0, read: (bar) => priceOf(bar, op.field) }, label: op.field }
    case 'value':
      return { feed: { warmup: 0, read: () => op.value }, label: String(op.value) }
    case 'indicator': {
      const ref = checkIndicator(op.indicator, op.params, op.output, path)
      return { feed: indicatorFeed(ref, tfMs), label: ref.label }
    }
  }
}
