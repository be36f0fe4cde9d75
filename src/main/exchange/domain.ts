import type { exchangeContract } from '../../shared/contract/exchange'
import type { Domain } from '../domain'
import { ExchangeHistory } from './chart-history'
import { ExchangeCandleUpdates } from './followed-series'
import { exchangeHandlers, type ExchangeHandlerDeps } from './handlers'
import { ExchangeHub, type HubDeps } from './hub'

export type ExchangeDomainDeps = HubDeps & Omit<ExchangeHandlerDeps, 'hub'>

export interface ExchangeDomain extends Domain<typeof exchangeContract> {
  /** The ccxt connections, their breakers, health and keys: live trading goes through them. */
  readonly hub: ExchangeHub
  /** Live bars of series stored from an exchange (for the chart, indicators and signals). */
  readonly candleUpdates: ExchangeCandleUpdates
  /** History fetched on demand for the chart of an exchange's symbol. */
  readonly history: ExchangeHistory
  close(): Promise<void>
}

/**
 * Exchange connectivity. It owns the hub and what streams through it, and closes them: live
 * candle feeds first, then every ccxt connection.
 */
export function createExchangeDomain(deps: ExchangeDomainDeps): ExchangeDomain {
  const hub = new ExchangeHub(deps)
  const candleUpdates = new ExchangeCandleUpdates({
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    exchanges: hub,
  })
  const history = new ExchangeHistory({
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    exchanges: hub,
    followed: candleUpdates,
  })
  return {
    name: 'exchange',
    handlers: exchangeHandlers({ ...deps, hub }),
    hub,
    candleUpdates,
    history,
    async close() {
      candleUpdates.close()
      await hub.close()
    },
  }
}
