import type { z } from 'zod'
import type { CommandDef, StreamDef } from '../../shared/contract/define'
import type { tradingContract } from '../../shared/contract/trading'
import type { CallContext, StreamSink } from '../rpc/handlers'
import { TradingService, type TradingServiceOptions } from './service'

type C = typeof tradingContract

/** The handler of every `trading.*` name, typed from the trading contract itself. */
export type TradingHandlers = {
  [N in keyof C]: C[N] extends CommandDef<infer P, infer R>
    ? (params: z.output<P>, ctx: CallContext) => z.output<R> | Promise<z.output<R>>
    : C[N] extends StreamDef<infer P, infer E>
      ? (params: z.output<P>, sink: StreamSink<z.output<E>>, ctx: CallContext) => () => void
      : never
}

export type TradingDeps = TradingServiceOptions

/**
 * Builds the trading service from its deps (db, clock, price source, paper markets, and the
 * exchange hub that live accounts trade through) and returns it with its handlers. The engine adds
 * `handlers` to the registry, calls `service.start()` once (start-up reconciliation and
 * background timers) and `service.close()` on shutdown.
 */
export function createTrading(deps: TradingDeps): { service: TradingService; handlers: TradingHandlers } {
  const service = new TradingService(deps)
  return { service, handlers: tradingHandlers(service) }
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
