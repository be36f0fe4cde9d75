/**
 * Demo market speed: generating 1m history (the budget is >= 5 million candles/s), serving a
 * chart's worth of hourly bars, and the live forming bar the market service polls.
 */
import { createDemoMarket } from '../src/main/demo/index'
import { bestOf, report } from './harness'

const NOW = Date.UTC(2025, 10, 20, 12, 34, 56, 789)
const DAYS = 90

export async function run(): Promise<void> {
  const symbols = createDemoMarket().symbols.map((s) => s.symbol)

  // Cold generation: a fresh instance per run, so every 1m bar of every day is generated
  // (asking for daily bars forces all 1440 minutes of each day, with little output overhead).
  let seed = 0
  const generate = (): void => {
    const m = createDemoMarket({ seed: ++seed })
    for (const s of symbols) m.candles(s, '1d', NOW, DAYS, NOW)
  }
  const candles = DAYS * 1440 * symbols.length
  const genMs = bestOf(generate, { warmup: 2, minRuns: 5, minMs: 2000 })
  // The same work timed in process CPU time, which a busy shared machine distorts far less
  // than wall time (it also counts GC and JIT threads, so it errs on the slow side).
  let cpuMs = Infinity
  for (let i = 0; i < 5; i++) {
    const before = process.cpuUsage()
    generate()
    const used = process.cpuUsage(before)
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000)
  }
  report({
    name: 'demo.generate-1m',
    value: Math.round(candles / (genMs / 1000)),
    unit: 'candles/s',
    candles,
    ms: +genMs.toFixed(1),
    cpuCandlesPerSec: Math.round(candles / (cpuMs / 1000)),
    target: 5_000_000,
  })

  const cold = bestOf(() => createDemoMarket({ seed: ++seed }).candles('BTC/USDT', '1h', NOW, 2000, NOW), {
    minRuns: 5,
  })
  report({ name: 'demo.candles-1h-2000.cold', value: +cold.toFixed(2), unit: 'ms', bars: 2000 })

  const m = createDemoMarket()
  m.candles('BTC/USDT', '1h', NOW, 2000, NOW)
  const warm = bestOf(() => m.candles('BTC/USDT', '1h', NOW, 2000, NOW))
  report({ name: 'demo.candles-1h-2000.warm', value: +warm.toFixed(3), unit: 'ms', bars: 2000 })

  for (const tf of ['1m', '1h', '1d'] as const) {
    // Polling as the live feed does: a new time every call, 250 ms apart.
    let t = NOW
    const calls = 1000
    m.formingCandle('BTC/USDT', tf, t)
    const ms = bestOf(() => {
      for (let i = 0; i < calls; i++) m.formingCandle('BTC/USDT', tf, (t += 250))
    })
    report({ name: `demo.formingCandle-${tf}`, value: +((ms / calls) * 1000).toFixed(2), unit: 'µs/call' })
  }
}
