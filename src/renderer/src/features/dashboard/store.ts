import { create } from 'zustand'
import type { HealthSummary } from '../../../../shared/contract/health'
import type { JournalSummary } from '../../../../shared/contract/journal'
import type { Signal } from '../../../../shared/domain/signals'
import type { Position } from '../../../../shared/domain/trading'
import type { Mover, SymbolBars } from './movers'

/** One open position and the name of the account holding it. */
export interface OpenPosition {
  accountName: string
  position: Position
}

export interface DashboardState {
  /** journal.summary; null until answered. */
  summary: JournalSummary | null
  summaryError: string | null
  /** Open positions of every account that trades (imported accounts hold none); null until loaded. */
  positions: OpenPosition[] | null
  /** Every chartable symbol with its last price and 24 h change, kept current by market.tickers. */
  movers: Mover[] | null
  /** Hourly bars per symbol (moverKey): sparkline and unusual moves. */
  bars: Record<string, SymbolBars>
  /** The newest signal (shortest timeframe the profile scores) per symbol (moverKey). */
  signals: Record<string, Signal | null>
  health: HealthSummary | null
}

export const useDashboardStore = create<DashboardState>()(() => ({
  summary: null,
  summaryError: null,
  positions: null,
  movers: null,
  bars: {},
  signals: {},
  health: null,
}))
