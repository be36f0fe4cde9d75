import { candleAt, sameBar, type Candle } from '../../shared/domain/candles'
import type { TickerEvent } from '../../shared/contract/market'
import { bucketStart, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import { DEMO_SOURCE } from '../demo'

/** How often the live feed samples the demo market: "a tick every few hundred ms". */
export const TICK_INTERVAL_MS = 250

/**
 * One timer for all ticker subscribers: each sample carries the latest price per symbol, so a
 * slow subscriber never sees a backlog, only the newest state (coalescing in main).
 */
export class TickerFeed {
  private readonly listeners = new Set<(e: TickerEvent) => void>()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly demo: DemoMarket,
    private readonly clock: Clock,
    private readonly intervalMs = TICK_INTERVAL_MS,
  ) {}

  subscribe(listener: (e: TickerEvent) => void): () => void {
    this.listeners.add(listener)
    this.sampleInto(listener)
    this.timer ??= setInterval(() => this.sampleAll(), this.intervalMs)
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer)
        this.timer = undefined
      }
    }
  }

  /** Stops the timer and drops every listener (the engine closing with streams still open). */
  close(): void {
    this.listeners.clear()
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  private sampleAll(): void {
    for (const listener of this.listeners) this.sampleInto(listener)
  }

  private sampleInto(listener: (e: TickerEvent) => void): void {
    const time = this.clock.now()
    for (const s of this.demo.symbols) {
      const q = this.demo.quote(s.symbol, time)
      listener({
        source: DEMO_SOURCE,
        symbol: s.symbol,
        time,
        last: q.last,
        change24h: q.change24h,
        volume24h: q.volume24h,
      })
    }
  }
}

/**
 * The forming bar of one demo symbol and timeframe, sampled on a timer. Emits only when the
 * bar changed, and emits the completed bar once with `closed: true` when its bucket ends.
 */
export function watchFormingCandle(
  demo: DemoMarket,
  clock: Clock,
  symbol: string,
  tf: Timeframe,
  emit: (e: { candle: Candle; closed: boolean }) => void,
  intervalMs = TICK_INTERVAL_MS,
): () => void {
  let last: Candle | undefined
  const sample = () => {
    const now = clock.now()
    const bucket = bucketStart(now, tf)
    if (last && last.time !== bucket) {
      const closed = demo.candles(symbol, tf, last.time, 1, now)
      const closedBar = closed.time[0] === last.time ? candleAt(closed, 0) : last
      emit({ candle: closedBar, closed: true })
    }
    const candle = demo.formingCandle(symbol, tf, now)
    if (!last || !sameBar(last, candle)) emit({ candle, closed: false })
    last = candle
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return () => clearInterval(timer)
}
