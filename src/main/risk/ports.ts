import type { TradingService } from '../trading/service'

/** What the risk engine uses of trading: the service's own methods, nothing else. */
export type RiskTrading = Pick<
  TradingService,
  'accounts' | 'positions' | 'balances' | 'cancelOrder' | 'closePosition' | 'setOrderGate' | 'bus'
>

/**
 * Alert events the risk engine raises (issue 15: "risk limit hit", "trading halted"). The alerts
 * domain's port for events from other domains is being written beside this; until it lands the
 * engine passes none, and `raiseRiskAlert` in service.ts is the one call site that will call it.
 */
export interface RiskAlerts {
  riskEvent(e: { event: 'limit_hit' | 'halted'; accountId: string | null; message: string; at: number }): void
}
