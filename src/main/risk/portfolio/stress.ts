// Stress tests: a scenario is a move per asset (−0.37 = −37 %) and one for every other asset,
// applied to today's positions at their value in the valuation currency. Stablecoins and the
// valuation currency itself are not moved by "every other asset". Figures and their sources are in
// docs/RISK.md ("Stress scenarios"); the demo market's history is synthetic, so the historical
// scenarios use the documented moves rather than stored candles.

export interface StressScenario {
  id: string
  name: string
  /** Where the figures come from (shown next to the result). */
  source: string
  shocks: Readonly<Record<string, number>>
  /** The move of any asset not listed (and not a stablecoin). */
  other: number
}

export const STABLECOINS: readonly string[] = ['USDT', 'USDC', 'BUSD', 'DAI', 'TUSD', 'FDUSD', 'USD']

export const HISTORICAL_SCENARIOS: readonly StressScenario[] = [
  {
    id: 'covid-2020-03',
    name: 'March 2020 crash (11 → 12 Mar 2020)',
    source:
      'CoinMarketCap daily closes, 11 and 12 Mar 2020 (BTC 7,911 → 4,971; ETH 194.9 → 112.3); others assumed −40 %',
    shocks: { BTC: -0.37, ETH: -0.42 },
    other: -0.4,
  },
  {
    id: 'luna-2022-05',
    name: 'LUNA/UST collapse (5 → 12 May 2022)',
    source:
      'CoinMarketCap daily closes, 5 and 12 May 2022 (BTC 36,575 → 28,936; ETH 2,749 → 1,961; LUNA 85 → < 0.01; UST 1.00 → 0.30); others assumed −30 %',
    shocks: { BTC: -0.21, ETH: -0.29, LUNA: -0.9999, UST: -0.7, USTC: -0.7 },
    other: -0.3,
  },
  {
    id: 'ftx-2022-11',
    name: 'FTX collapse (6 → 9 Nov 2022)',
    source:
      'CoinMarketCap daily closes, 6 and 9 Nov 2022 (BTC 20,926 → 15,880; ETH 1,572 → 1,100; SOL 32.6 → 16.0; FTT 22 → 3.0); others assumed −30 %',
    shocks: { BTC: -0.24, ETH: -0.3, SOL: -0.51, FTT: -0.86 },
    other: -0.3,
  },
]

/** The custom shock: BTC −20 %, everything else −35 %. */
export const DEFAULT_CUSTOM_SHOCK: StressScenario = {
  id: 'custom',
  name: 'Custom: BTC −20 %, others −35 %',
  source: 'entered by the trader',
  shocks: { BTC: -0.2 },
  other: -0.35,
}

export interface StressPosition {
  key: string
  asset: string
  value: number
}

export interface StressResult {
  id: string
  name: string
  source: string
  /** Per position: the move applied and the P&L in the valuation currency. */
  positions: { key: string; asset: string; shock: number; pnl: number }[]
  total: number
}

export function shockOf(s: StressScenario, asset: string, currency: string): number {
  const own = s.shocks[asset]
  if (own !== undefined) return own
  if (asset === currency || STABLECOINS.includes(asset)) return 0
  return s.other
}

export function runStress(
  s: StressScenario,
  positions: readonly StressPosition[],
  currency: string,
): StressResult {
  let total = 0
  const rows = positions.map((p) => {
    const shock = shockOf(s, p.asset, currency)
    const pnl = p.value * shock
    total += pnl
    return { key: p.key, asset: p.asset, shock, pnl }
  })
  return { id: s.id, name: s.name, source: s.source, positions: rows, total }
}
