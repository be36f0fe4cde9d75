import type { chartingContract } from '../../shared/contract/charting'
import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import type { Logger } from '../log'
import type { Domain } from '../domain'
import type { Db } from '../storage/database'
import { candleUpdates, type CandleUpdates } from '../market/candle-updates'
import { inlineCompute, type Compute } from '../compute'
import { describeIndicators } from './describe'
import { startIndicatorStream } from './indicator-stream'
import { INLINE_LIMIT, indicatorSeries } from './series'
import { readChartSettings, unpinChartSettings, writeChartSettings } from './settings'
import { deleteTemplate, readTemplates, saveTemplate } from './templates'

export interface ChartingDeps {
  db: Db
  demo: DemoMarket
  clock: Clock
  log: Logger
  /** Bar-instances computed inline before work goes to a worker thread (see series.ts). */
  inlineLimit?: number
  /** The engine's compute pool (the engine closes it); without one everything is computed inline. */
  pool?: Compute
  /** Live candles for live indicator values; the demo market's only by default. */
  candleUpdates?: CandleUpdates
}

/** Indicators on the chart: the picker's catalogue, values over bars, live values, settings (a template, or pinned per symbol) and named templates. */
export function createChartingDomain({
  db,
  demo,
  clock,
  log,
  inlineLimit = INLINE_LIMIT,
  pool = inlineCompute,
  candleUpdates: updates = candleUpdates({ demo, clock }),
}: ChartingDeps): Domain<typeof chartingContract> {
  const bars = { db, demo }
  // Described on the first request, not at start-up (~40 ms of warm-up runs over sample bars).
  let catalogue: ReturnType<typeof describeIndicators> | undefined
  const handlers: Domain<typeof chartingContract>['handlers'] = {
    'charting.indicators': () => (catalogue ??= describeIndicators()),
    'charting.series': (params) => indicatorSeries({ bars, clock, pool, inlineLimit }, params),
    'charting.live': (params, sink) =>
      startIndicatorStream(
        { bars, clock, candleUpdates: updates },
        params,
        (e) => sink.emit(e),
        (error) => sink.end(error),
      ),
    'charting.settings.get': ({ source, symbol }) => readChartSettings(db, log, source, symbol),
    'charting.settings.set': ({ source, symbol, settings }) =>
      writeChartSettings(db, source, symbol, settings, clock.now()),
    'charting.settings.unpin': ({ source, symbol }) => unpinChartSettings(db, log, source, symbol),
    'charting.templates.list': () => readTemplates(db, log),
    'charting.templates.save': ({ template }) => saveTemplate(db, log, template, clock.now()),
    'charting.templates.delete': ({ name }) => deleteTemplate(db, log, name, clock.now()),
  }
  return { name: 'charting', handlers }
}
