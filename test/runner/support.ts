import { silentLogger } from '../../src/main/log'
import type { StrategyDefinition } from '../../src/main/backtest/strategy'
import { RunnerService, type RunnerTrading } from '../../src/main/runner/service'
import type { AppError } from '../../src/shared/contract/errors'
import type { Candle } from '../../src/shared/domain/candles'
import { riskSetup, type RiskSetup } from '../risk/support'

/** A live feed the test drives: `close(bar)` emits the bar as closed to every watcher. */
export class ManualFeed {
  private sinks = new Set<{ emit(e: { candle: Candle; closed: boolean }): void; end(e: AppError): void }>()
  watch(
    _s: string,
    _sym: string,
    _tf: string,
    sink: { emit(e: { candle: Candle; closed: boolean }): void; end(e: AppError): void },
  ) {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }
  close(candle: Candle): void {
    for (const s of this.sinks) s.emit({ candle, closed: true })
  }
  get watchers(): number {
    return this.sinks.size
  }
}

export const MINUTE = 60_000
export const T0 = Date.UTC(2025, 0, 6, 10)

/** Bars a minute apart from T0 with the given closes (open = previous close). */
export function bars(closes: readonly number[], from = 0): Candle[] {
  return closes.map((c, k) => {
    const i = from + k
    const open = k === 0 ? c : closes[k - 1]!
    return {
      time: T0 + i * MINUTE,
      open,
      high: Math.max(open, c) + 0.5,
      low: Math.min(open, c) - 0.5,
      close: c,
      volume: 10,
    }
  })
}

export interface RunnerRig {
  setup: RiskSetup
  feed: ManualFeed
  runner: RunnerService
  /** Sets the paper price to the bar's close, then closes the bar on the feed and waits for the runner. */
  closeBar(c: Candle): Promise<void>
}

/** The runner over a real trading service with the risk engine in front (paper account, no fees). */
export function runnerRig(
  dir: string,
  warmup: readonly Candle[],
  opts: {
    /** Bars that close after the warm-up (the drift report's replay reads them). */
    later?: readonly Candle[]
    trading?: (t: RunnerTrading) => RunnerTrading
    strategies?: (id: string) => StrategyDefinition
    setup?: RiskSetup
    /** The data folder's `strategies/` (user strategy files). */
    strategiesDir?: string
  } = {},
): RunnerRig {
  const setup = opts.setup ?? riskSetup(dir)
  // The clock stands where the warm-up ends, as it would live.
  if (!opts.setup && warmup.length > 0) setup.clock.t = warmup[warmup.length - 1]!.time + MINUTE
  const feed = new ManualFeed()
  const trading: RunnerTrading = opts.trading ? opts.trading(setup.trading) : setup.trading
  const runner = new RunnerService({
    db: setup.db,
    clock: setup.clock,
    log: silentLogger,
    trading,
    // The bars closed by the clock's time, newest `limit` (the warm-up at start, later the replay's).
    bars: {
      closedBars: (_s, _y, _t, limit, now) =>
        [...warmup, ...(opts.later ?? [])].filter((c) => c.time + MINUTE <= now).slice(-limit),
    },
    feed,
    ...(opts.strategies ? { strategies: opts.strategies } : {}),
    ...(opts.strategiesDir ? { strategiesDir: opts.strategiesDir } : {}),
  })
  const closeBar = async (c: Candle) => {
    setup.prices.set('BTC/USDT', { bid: c.close, ask: c.close, last: c.close })
    setup.clock.t = Math.max(setup.clock.t, c.time + MINUTE)
    feed.close(c)
    await runner.idle()
  }
  return { setup, feed, runner, closeBar }
}
