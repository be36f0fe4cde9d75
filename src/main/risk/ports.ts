import type { TradingService } from '../trading/service'

/** What the risk engine uses of trading: the service's own methods, nothing else. */
export type RiskTrading = Pick<
  TradingService,
  | 'accounts'
  | 'positions'
  | 'balances'
  | 'cancelOrder'
  | 'closePosition'
  | 'setOrderGate'
  | 'bus'
  | 'checkedOrder'
>

/**
 * Alert events the risk engine raises (issue 15: "risk limit hit", "trading halted"), shaped as
 * the alerts domain's event port (`AlertService.raise` on wt-alerts: kind, subject, message,
 * numeric values, symbol). Until that lands on this branch the engine passes none; after the
 * merge the engine passes `alerts: alerts.service` and `raiseRiskAlert` in service.ts is the one
 * call site.
 */
export interface RiskAlerts {
  raise(e: {
    kind: 'risk_limit_hit' | 'trading_halted'
    /** The account id; left out for the global state. */
    subject?: string
    message: string
    values?: Record<string, number | null>
    symbol?: string
  }): unknown
}
