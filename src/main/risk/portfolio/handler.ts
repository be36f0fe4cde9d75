// risk.portfolio: gathers today's positions and the daily closes, runs the math in a compute-pool
// worker and answers it with NaN (a window too short for N days) as null.
import type { PortfolioRiskView } from '../../../shared/contract/risk-portfolio'
import type { ComputePool } from '../../compute'
import type { Tail } from './var'
import { gatherPortfolio, type PortfolioSources } from './gather'
import { DEFAULT_CUSTOM_SHOCK, HISTORICAL_SCENARIOS, type StressScenario } from './stress'
import { portfolioRiskTask } from './tasks'

export interface PortfolioDeps extends PortfolioSources {
  compute: ComputePool
  now: () => number
}

export interface PortfolioParams {
  currency?: string | undefined
  benchmark?: string | undefined
  horizonDays?: number | undefined
  days?: number | undefined
  paths?: number | undefined
  seed?: number | undefined
  custom?: { shocks: Record<string, number>; other: number } | undefined
}

export async function portfolioRisk(deps: PortfolioDeps, p: PortfolioParams): Promise<PortfolioRiskView> {
  const custom: StressScenario = p.custom
    ? {
        ...DEFAULT_CUSTOM_SHOCK,
        name: `Custom: ${[...Object.entries(p.custom.shocks).map(([a, s]) => `${a} ${pct(s)}`), `others ${pct(p.custom.other)}`].join(', ')}`,
        shocks: p.custom.shocks,
        other: p.custom.other,
      }
    : DEFAULT_CUSTOM_SHOCK
  const input = await gatherPortfolio(deps, {
    currency: p.currency ?? 'USDT',
    benchmark: p.benchmark ?? 'BTC',
    horizonDays: p.horizonDays ?? 10,
    days: p.days ?? 365,
    paths: p.paths ?? 100_000,
    seed: p.seed ?? 1,
    scenarios: [...HISTORICAL_SCENARIOS, custom],
    now: deps.now(),
  })
  const out = await deps.compute.run(portfolioRiskTask, input)
  return {
    ...out,
    methods: out.methods.map((m) => ({ ...m, oneDay: wire(m.oneDay), nDays: wire(m.nDays) })),
  }
}

function wire(t: Tail): {
  var95: number | null
  es95: number | null
  var99: number | null
  es99: number | null
} {
  const f = (x: number): number | null => (Number.isFinite(x) ? x : null)
  return { var95: f(t.var95), es95: f(t.es95), var99: f(t.var99), es99: f(t.es99) }
}

function pct(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(Math.round(x * 1000) / 10)} %`
}
