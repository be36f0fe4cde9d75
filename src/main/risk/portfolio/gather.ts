// What the portfolio risk task reads, gathered in the main process: every open position of every
// account whose market is quoted in the valuation currency (at its mark), and the daily closes of
// the assets held and of the benchmark from the market's bars (the demo market's history for the
// demo paper account; stored candles where an asset has none there), aligned on the days all of
// them have.
import type { Position } from '../../../shared/domain/trading'
import { DEMO_SOURCE } from '../../demo'
import type { BarSource } from '../../signals/bars'
import type { PortfolioPosition, PortfolioRiskInput } from './compute'
import type { StressScenario } from './stress'

export interface PortfolioSources {
  accounts(): { id: string }[]
  positions(accountId: string): Promise<Position[]>
  bars: BarSource
  /** Stored series sources to try after the demo market, e.g. the exchanges with imported candles. */
  sources?: () => readonly string[]
}

export interface GatherOptions {
  currency: string
  benchmark: string
  horizonDays: number
  days: number
  paths: number
  seed: number
  scenarios: StressScenario[]
  now: number
}

export async function gatherPortfolio(src: PortfolioSources, o: GatherOptions): Promise<PortfolioRiskInput> {
  const positions: PortfolioPosition[] = []
  for (const a of src.accounts()) {
    const list = await src.positions(a.id).catch(() => [] as Position[])
    for (const p of list) {
      if (p.side === 'flat' || p.quote !== o.currency || p.mark == null) continue
      positions.push({
        account: a.id,
        strategy: null,
        symbol: p.symbol,
        asset: p.base,
        quantity: Number(p.amount),
        price: Number(p.mark),
      })
    }
  }
  const wanted = [...new Set([o.benchmark, ...positions.map((p) => p.asset)])]
  const series = new Map<string, Map<number, number>>()
  for (const asset of wanted) {
    const symbol = `${asset}/${o.currency}`
    for (const source of [DEMO_SOURCE, ...(src.sources?.() ?? [])]) {
      let bars: { time: number; close: number }[] = []
      try {
        bars = src.bars.closedBars(source, symbol, '1d', o.days + 1, o.now)
      } catch {
        continue
      }
      if (bars.length < 3) continue
      series.set(asset, new Map(bars.map((b) => [b.time, b.close])))
      break
    }
  }
  // Days every series has (an asset with a short history shortens the window for all).
  let days: number[] | null = null
  for (const m of series.values()) {
    const t = [...m.keys()]
    days = days === null ? t : days.filter((d) => m.has(d))
  }
  const times = Float64Array.from((days ?? []).sort((a, b) => a - b))
  const history = [...series].map(([asset, m]) => ({
    asset,
    closes: Float64Array.from(times, (t) => m.get(t)!),
  }))
  return {
    currency: o.currency,
    benchmark: o.benchmark,
    horizonDays: o.horizonDays,
    paths: o.paths,
    seed: o.seed,
    positions,
    times,
    history,
    scenarios: o.scenarios,
  }
}
