import { AppError } from '../../../shared/contract/errors'
import { maxBarsIn, type Timeframe } from '../../../shared/domain/timeframes'
import type { TaskKind } from '../kinds'

/** A stored series as the backfill reads it (storage's `listSeries` fits). */
export interface StoredSeries {
  source: string
  symbol: string
  timeframe: Timeframe
  importedFrom: string | null
  count: number
  last: number | null
}

/**
 * The exchange domain's history backfill (`exchange/chart-history.ts` `ExchangeHistory` fits):
 * which series an exchange connection follows, and a fill of the closed bars never fetched.
 */
export interface SeriesBackfill {
  covers(source: string, symbol: string): boolean
  ensure(
    source: string,
    symbol: string,
    timeframe: Timeframe,
    to: number,
    limit: number,
  ): Promise<AppError | null>
}

export interface CandleBackfillDeps {
  series: () => readonly StoredSeries[]
  history: SeriesBackfill
}

/** Bars asked for per series and run at most; a longer gap is closed over the next runs. */
export const MAX_BACKFILL_BARS = 10_000

/**
 * Keeps every followed exchange series filled up to now while no chart is open on it: for each
 * stored series an exchange connection follows (file imports are not), the closed bars since its
 * newest stored one that were never fetched, one series after another (I/O, never CPU-bound).
 * A series that fails does not stop the others; the run fails naming them.
 */
export function candleBackfillKind(deps: CandleBackfillDeps): TaskKind {
  return {
    kind: 'candle-backfill',
    label: 'Candle backfill',
    about:
      'Fetches the closed bars missing from each followed exchange series, so charts and alerts open on full history.',
    defaults: {
      schedule: { type: 'interval', everyMs: 3_600_000, timeZone: 'UTC' },
      enabled: true,
      catchUp: 'run-once',
    },
    async run(ctx) {
      const list = deps
        .series()
        .filter((s) => s.importedFrom === null && deps.history.covers(s.source, s.symbol))
      if (list.length === 0) return 'no followed exchange series'
      const failed: string[] = []
      let added = 0
      for (const s of list) {
        if (ctx.signal.aborted) throw new AppError('unavailable', 'stopped: the engine is closing')
        const gapBars = s.last === null ? MAX_BACKFILL_BARS : maxBarsIn(ctx.now - s.last, s.timeframe)
        const limit = Math.min(MAX_BACKFILL_BARS, Math.max(2, gapBars + 1))
        const err = await deps.history.ensure(s.source, s.symbol, s.timeframe, ctx.now, limit)
        const after = deps
          .series()
          .find((x) => x.source === s.source && x.symbol === s.symbol && x.timeframe === s.timeframe)
        added += Math.max(0, (after?.count ?? s.count) - s.count)
        if (err) failed.push(`${s.source} ${s.symbol} ${s.timeframe}: ${err.message}`)
      }
      if (failed.length > 0) {
        const head = `${failed.length} of ${list.length} series failed (${added} bars added)`
        throw new AppError('unavailable', `${head}: ${failed.join('; ')}`)
      }
      return `${list.length} series, ${added} bars added`
    },
  }
}
