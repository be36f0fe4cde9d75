import type { Session } from './seasonality'

/**
 * The simulated instruments. Start prices are roughly the real ones at the anchor
 * (2025-01-01T00:00Z); after that each market wanders on its own (with a weak pull back
 * towards its start price, so years from the anchor prices stay plausible).
 */
export interface DemoSymbolSpec {
  readonly symbol: string
  readonly description: string
  readonly pricePrecision: number
  /** Never reused or renumbered: it keys the random streams, so it fixes the symbol's history. */
  readonly streamId: number
  /** Price at the anchor day's open. */
  readonly startPrice: number
  /** Target annualised volatility of log returns (365-day year, 24/7). */
  readonly annualVol: number
  /**
   * Loading on the common market factor: the correlation of the symbol's innovations with it.
   * Two symbols' innovations then correlate at the product of their loadings.
   */
  readonly marketLoading: number
  /** Mean traded base-asset volume per minute. */
  readonly baseVolume: number
  /** Volumes are whole multiples of this power of two, so any sum of them is exact in floating point. */
  readonly volumeStep: number
  readonly session: Session
}

export const DEMO_SYMBOL_SPECS: readonly DemoSymbolSpec[] = [
  {
    symbol: 'BTC/USDT',
    description: 'Bitcoin (simulated)',
    pricePrecision: 2,
    streamId: 1,
    startPrice: 93_500,
    annualVol: 0.55,
    marketLoading: 0.9,
    baseVolume: 15,
    volumeStep: 1 / 1024,
    session: 'crypto',
  },
  {
    symbol: 'ETH/USDT',
    description: 'Ether (simulated)',
    pricePrecision: 2,
    streamId: 2,
    startPrice: 3_350,
    annualVol: 0.7,
    marketLoading: 0.85,
    baseVolume: 250,
    volumeStep: 1 / 256,
    session: 'crypto',
  },
  {
    symbol: 'SOL/USDT',
    description: 'Solana (simulated)',
    pricePrecision: 2,
    streamId: 3,
    startPrice: 190,
    annualVol: 0.9,
    marketLoading: 0.75,
    baseVolume: 1_500,
    volumeStep: 1 / 64,
    session: 'crypto',
  },
  {
    symbol: 'PAXG/USDT',
    description: 'Gold token (simulated, slow-moving)',
    pricePrecision: 2,
    streamId: 4,
    startPrice: 2_630,
    annualVol: 0.15,
    marketLoading: 0.15,
    baseVolume: 4,
    volumeStep: 1 / 1024,
    session: 'fx',
  },
  {
    symbol: 'EUR/USDT',
    description: 'Euro (simulated, slow-moving)',
    pricePrecision: 5,
    streamId: 5,
    startPrice: 1.035,
    annualVol: 0.07,
    marketLoading: 0.1,
    baseVolume: 150_000,
    volumeStep: 1,
    session: 'fx',
  },
]
