import type { tradingContract } from '../../shared/contract/trading'
import type { Domain } from '../domain'
import type { Logger } from '../log'
import { TradingService, type TradingServiceOptions } from './service'

type TradingHandlers = Domain<typeof tradingContract>['handlers']

export type TradingDeps = TradingServiceOptions

/** How long closing waits for start-up reconciliation to stop. */
const CLOSE_WAIT_MS = 3_000

export interface TradingDomain extends Domain<typeof tradingContract> {
  readonly service: TradingService
}

/**
 * Trading over one service (db, clock, price source, paper markets, and the exchange hub that
 * live accounts trade through). Starting it reconciles open orders and fills with each venue in
 * the background (failures are shown per account and logged, never fatal) and starts its timers;
 * closing it stops them.
 */
export function createTradingDomain(deps: TradingDeps): TradingDomain {
  const service = new TradingService(deps)
  const log: Logger | undefined = deps.log
  let started: Promise<void> = Promise.resolve()
  return {
    name: 'trading',
    handlers: tradingHandlers(service),
    service,
    start() {
      started = service
        .start()
        .catch((err: unknown) => log?.warn('trading start-up reconciliation failed', err))
    },
    // Start-up work stops at its next turn once closed; the database closes after it has (a
    // request in flight to an exchange is not waited for beyond a few seconds).
    async close() {
      service.close()
      await Promise.race([started, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())])
    },
  }
}

/** The `trading.*` commands and stream over one TradingService. */
export function tradingHandlers(service: TradingService): TradingHandlers {
  return {
    'trading.accounts': () => service.accounts(),
    'trading.saveAccount': (p) => service.saveAccount(p),
    'trading.placeOrder': (p) => service.placeOrder(p),
    'trading.validateOrder': (p) => service.validateOrder(p),
    'trading.placeOco': (p) => service.placeOco(p),
    'trading.validateOco': (p) => service.validateOco(p),
    'trading.closePosition': (p) => service.closePosition(p),
    'trading.convertDust': (p) => service.convertDust(p),
    'trading.cancelOrder': (p) => service.cancelOrder(p.accountId, p.clientOrderId),
    'trading.modifyOrder': (p) => service.modifyOrder(p),
    'trading.orders': (p) =>
      service.orders(p.accountId, { symbol: p.symbol, clientOrderId: p.clientOrderId, limit: p.limit }),
    'trading.fills': (p) => service.fills(p.accountId, { symbol: p.symbol, since: p.since, limit: p.limit }),
    'trading.positions': (p) => service.positions(p.accountId, p.includeFlat),
    'trading.balances': (p) => service.balances(p.accountId),
    'trading.reconcile': (p) => service.reconcile(p.accountId),
    'trading.reconciliationEvents': (p) =>
      service.events(p.accountId, { afterId: p.afterId, limit: p.limit }),
    'trading.resetPaper': (p) =>
      service.resetPaper(p.accountId, {
        startingBalance: p.startingBalance,
        asset: p.asset,
        startingBalances: p.startingBalances,
      }),
    'trading.startingBalances': (p) => service.startingBalances(p.accountId),
    'trading.deleteAccount': (p) =>
      service.deleteAccount(p.accountId, { confirm: p.confirm, dryRun: p.dryRun }),
    'trading.updates': (p, sink) => service.subscribe(p.accountId, (u) => sink.emit(u)),
    'trading.market': (p, sink) =>
      service.watchMarket(p.accountId, { emit: (e) => sink.emit(e), end: (err) => sink.end(err.toShape()) }),
    'trading.quote': (p, sink) =>
      service.watchQuote(p.accountId, p.symbol, {
        emit: (e) => sink.emit(e),
        end: (err) => sink.end(err.toShape()),
      }),
  }
}
