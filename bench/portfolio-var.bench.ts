/**
 * Portfolio VaR/ES by all three methods for 50 assets × 1,000 days with 100,000 Monte Carlo paths,
 * in a compute-pool worker, timed round trip from the main thread (goal: under 200 ms).
 * `npx tsx bench/run.ts portfolio-var`
 */
import { createComputePool } from '../src/main/compute-pool'
import { silentLogger } from '../src/main/log'
import type { PortfolioRiskInput } from '../src/main/risk/portfolio/compute'
import { HISTORICAL_SCENARIOS } from '../src/main/risk/portfolio/stress'
import { portfolioRiskTask } from '../src/main/risk/portfolio/tasks'
import { seededNormals } from '../src/main/risk/portfolio/prng'
import { report } from './harness'

const ASSETS = 50
const DAYS = 1000
const PATHS = 100_000

function input(): PortfolioRiskInput {
  const src = seededNormals(7)
  const z = new Float64Array(ASSETS + 1)
  const history = Array.from({ length: ASSETS }, (_, i) => ({
    asset: i === 0 ? 'BTC' : `A${i}`,
    closes: new Float64Array(DAYS + 1),
  }))
  for (const h of history) h.closes[0] = 100
  for (let t = 1; t <= DAYS; t++) {
    src.fill(z, ASSETS + 1)
    // One market factor plus each asset's own move: correlated like crypto, about 0.5.
    for (let i = 0; i < ASSETS; i++) {
      const c = history[i]!.closes
      c[t] = c[t - 1]! * (1 + 0.03 * (0.7 * z[ASSETS]! + 0.7 * z[i]!))
    }
  }
  const times = Float64Array.from({ length: DAYS + 1 }, (_, t) => Date.UTC(2024, 0, 1) + t * 86_400_000)
  return {
    currency: 'USDT',
    benchmark: 'BTC',
    horizonDays: 10,
    paths: PATHS,
    seed: 1,
    positions: history.map((h, i) => ({
      account: `acc${i % 3}`,
      strategy: null,
      symbol: `${h.asset}/USDT`,
      asset: h.asset,
      quantity: i % 7 === 3 ? -10 : 10 + i,
      price: h.closes[DAYS]!,
    })),
    times,
    history,
    scenarios: [...HISTORICAL_SCENARIOS],
  }
}

export async function run(): Promise<void> {
  const pool = createComputePool({ log: silentLogger, size: 1 })
  const data = input()
  try {
    await pool.run(portfolioRiskTask, data, { onCrash: 'reject' })
    const times: number[] = []
    const cpu: number[] = []
    for (let i = 0; i < 7; i++) {
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      await pool.run(portfolioRiskTask, data, { onCrash: 'reject' })
      times.push(performance.now() - t0)
      const c = process.cpuUsage(c0)
      cpu.push((c.user + c.system) / 1000)
    }
    times.sort((a, b) => a - b)
    cpu.sort((a, b) => a - b)
    report({
      name: 'risk.portfolioVar.50x1000.mc100k',
      value: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
      unit: 'ms (median of 7, worker round trip)',
      best: Math.round(times[0]! * 10) / 10,
      goal: 200,
      // CPU time of the process (both threads): what the wall time would be on an idle core.
      cpuMs: Math.round(cpu[Math.floor(cpu.length / 2)]! * 10) / 10,
    })
  } finally {
    await pool.close()
  }
}
