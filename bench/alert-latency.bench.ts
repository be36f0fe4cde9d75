/**
 * `alerts.notify.latency` (`npx tsx bench/run.ts alert-latency`): from a live update arriving at
 * the alerts domain to the notification port (`AlertNotifier.notify`, the desktop's native
 * notification) being called, p95 over 2,000 firings, in ms. Goal < 50 ms p95 (issue 15).
 *
 * The load is the live bench's: 1,000 intrabar alerts on 20 symbols that do not fire (price levels,
 * SMA 200, RSI, MACD, channels, volume spikes), plus one alert per symbol that fires on every
 * update (`every_time`, no minimum interval). Each sample is one symbol's forming-bar update: its
 * 51 alerts evaluated, the firing stored in a real SQLite file (WAL), streamed to an `alerts.updates`
 * listener (the app's), then the notifier called. The feed is a stand-in for the market's live
 * candles (the same `CandleUpdates` port), so the time is the alerts domain's alone.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { percentile, report } from './harness'
import { alertSpecSchema, type AlertSpecIn } from '../src/shared/contract/alerts'
import type { Candle } from '../src/shared/domain/candles'
import type { Timeframe } from '../src/shared/domain/timeframes'
import type { CandleUpdates, ClosedBars } from '../src/main/alerts/ports'
import { AlertService } from '../src/main/alerts/service'
import { silentLogger } from '../src/main/log'
import { memorySecretStore } from '../src/main/secrets/store'
import { closeDatabase, openDatabase } from '../src/main/storage/database'

const MIN = 60_000
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `S${i}/USDT`)
const SAMPLES = 2_000
const WARMUP = 200

function walk(seed: number, n: number, end: number): Candle[] {
  let x = seed * 7919 + 1
  const rnd = () => (x = (x * 48271) % 2147483647) / 2147483647
  let c = 100 + seed
  const out: Candle[] = []
  for (let i = 0; i < n; i++) {
    const o = c
    c = Math.max(1, c * (1 + (rnd() - 0.5) * 0.004))
    out.push({
      time: end - (n - i) * MIN,
      open: o,
      high: Math.max(o, c) * 1.001,
      low: Math.min(o, c) * 0.999,
      close: c,
      volume: 10 + rnd() * 5,
    })
  }
  return out
}

const price = { kind: 'price', field: 'last' } as const
const QUIET: AlertSpecIn['condition'][] = [
  { type: 'compare', left: price, op: 'crossing', right: { kind: 'value', value: 1e7 } },
  {
    type: 'compare',
    left: price,
    op: 'crossing_up',
    right: { kind: 'indicator', indicator: 'sma', params: { period: 200 } },
  },
  {
    type: 'compare',
    left: { kind: 'indicator', indicator: 'rsi', params: { period: 14 } },
    op: 'greater',
    right: { kind: 'value', value: 99.9 },
  },
  {
    type: 'compare',
    left: { kind: 'indicator', indicator: 'macd', output: 'macd' },
    op: 'greater',
    right: { kind: 'value', value: 1e9 },
  },
  { type: 'channel', op: 'outside', channel: { kind: 'values', lower: 1, upper: 1e6 } },
  { type: 'volume_spike', factor: 1_000, bars: 20 },
]

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'candlework-bench-'))
  const db = openDatabase(join(dir, 'candlework.db'))
  const now = Date.UTC(2024, 0, 10, 12, 0, 30)
  const history = new Map(SYMBOLS.map((s, i) => [s, walk(i, 3_000, Math.floor(now / MIN) * MIN)]))
  const bars: ClosedBars = {
    timeframes: () => ['1m'] as Timeframe[],
    closedBars: (_src, symbol, _tf, limit) => history.get(symbol)!.slice(-limit),
  }
  const sinks = new Map<string, (c: Candle, closed: boolean) => void>()
  const live: CandleUpdates = {
    follows: () => true,
    watch: (_src, symbol, _tf, sink) => {
      sinks.set(symbol, (candle, closed) => sink.emit({ candle, closed }))
      return () => sinks.delete(symbol)
    },
  }
  let sentAt = 0
  const latencies: number[] = []
  let notified = 0
  const service = new AlertService({
    db,
    clock: { now: () => now },
    log: silentLogger,
    secrets: memorySecretStore(),
    bars,
    live,
    notifier: {
      notify: () => {
        notified++
        latencies.push(performance.now() - sentAt)
      },
    },
  })
  service.start()
  const stream = service.subscribe(() => {})
  const create = (symbol: string, condition: AlertSpecIn['condition'], fires: boolean) =>
    service.create(
      alertSpecSchema.parse({
        series: { source: 'bench', symbol, timeframe: '1m' },
        condition,
        evaluate: 'intrabar',
        frequency: fires ? 'every_time' : 'once_per_bar',
        minIntervalMs: 0,
      }),
    )
  for (let k = 0; k < 1_000; k++)
    await create(SYMBOLS[k % SYMBOLS.length]!, QUIET[Math.floor(k / SYMBOLS.length) % QUIET.length]!, false)
  for (const s of SYMBOLS)
    await create(s, { type: 'compare', left: price, op: 'greater', right: { kind: 'value', value: 0 } }, true)

  const forming = SYMBOLS.map((s) => {
    const last = history.get(s)!.at(-1)!
    return {
      time: last.time + MIN,
      open: last.close,
      high: last.close,
      low: last.close,
      close: last.close,
      volume: 1,
    }
  })
  for (let r = 0; r < WARMUP + SAMPLES; r++) {
    const i = r % SYMBOLS.length
    const f = forming[i]!
    f.close = f.close * (1 + (((r * 31 + i * 17) % 11) - 5) * 1e-5)
    f.high = Math.max(f.high, f.close)
    f.low = Math.min(f.low, f.close)
    f.volume += 0.1
    if (r === WARMUP) latencies.length = 0
    sentAt = performance.now()
    sinks.get(SYMBOLS[i]!)!(f, false)
    // Let the event loop turn between updates, as live feeds arrive.
    if (r % 50 === 0) await new Promise((res) => setImmediate(res))
  }
  latencies.sort((a, b) => a - b)
  const round = (x: number): number => Math.round(x * 1_000) / 1_000
  report({
    name: 'alerts.notify.latency',
    value: round(percentile(latencies, 95)),
    unit: 'ms',
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1)!),
    samples: latencies.length,
    notified,
    alerts: 1_000 + SYMBOLS.length,
    goal: '< 50 ms p95',
  })
  stream()
  await service.close()
  closeDatabase(db)
  rmSync(dir, { recursive: true, force: true })
}
