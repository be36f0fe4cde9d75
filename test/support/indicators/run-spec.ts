/**
 * Runs an indicator spec over a candle series both ways, batch and streaming, for the
 * reference tests: every reference comparison then checks both forms.
 */
import type { Candle } from '../../../src/shared/domain/candles'
import type { CandleSeries } from '../../../src/main/indicators/core/series'
import { parseSpec, specColumns } from '../../../src/main/indicators/spec'

export interface SpecRun {
  /** Output name -> batch column. */
  batch: Record<string, Float64Array>
  /** Output name -> column built from one `update` per bar. */
  stream: Record<string, Float64Array>
  columns: string[]
}

export function candlesOf(s: CandleSeries): Candle[] {
  return Array.from(s.close, (close, i) => ({
    time: s.time[i]!,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close,
    volume: s.volume[i]!,
  }))
}

export function runSpec(text: string, s: CandleSeries): SpecRun {
  const spec = parseSpec(text)
  const names = spec.descriptor.outputs.map((o) => o.name)
  const cols = spec.descriptor.compute(s, spec.params)
  const stream = spec.descriptor.createStream(spec.params)
  const streamed = names.map(() => new Float64Array(s.close.length))
  candlesOf(s).forEach((bar, i) => {
    const v = stream.update(bar)
    names.forEach((_, k) => (streamed[k]![i] = v[k]!))
  })
  const batch: Record<string, Float64Array> = {}
  const streamOut: Record<string, Float64Array> = {}
  names.forEach((name, k) => {
    batch[name] = cols[k]!
    streamOut[name] = streamed[k]!
  })
  return { batch, stream: streamOut, columns: specColumns(spec) }
}
