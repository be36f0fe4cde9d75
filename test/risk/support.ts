import { AppError } from '../../src/shared/contract/errors'
import { silentLogger } from '../../src/main/log'
import type { RiskAlerts } from '../../src/main/risk/ports'
import { RiskService } from '../../src/main/risk/service'
import { DEFAULT_ACCOUNT_ID } from '../../src/main/trading/service'
import type { Db } from '../../src/main/storage/database'
import type { Order } from '../../src/shared/domain/trading'
import type { TradingService } from '../../src/main/trading/service'
import { ManualClock, openTradingDb, Prices, service } from '../trading/support'

export interface RiskSetup {
  db: Db
  clock: ManualClock
  prices: Prices
  trading: TradingService
  risk: RiskService
  buy(amount: string, extra?: object): Promise<Order>
  sell(amount: string, extra?: object): Promise<Order>
}

export const A = DEFAULT_ACCOUNT_ID

/** A paper account (10,000 USDT, no fees or slippage unless given) on a real trading service, with the risk engine wired in. */
export function riskSetup(
  dir: string,
  opts: { fees?: boolean; clock?: ManualClock; alerts?: RiskAlerts } = {},
): RiskSetup {
  const db = openTradingDb(dir)
  const clock = opts.clock ?? new ManualClock()
  const prices = new Prices()
    .set('BTC/USDT', { bid: 100, ask: 100, last: 100 })
    .set('ETH/USDT', { bid: 10, ask: 10, last: 10 })
  const trading = service(db, clock, prices, {
    paperSettings: {
      startingAmount: '10000',
      startingAsset: 'USDT',
      ...(opts.fees
        ? { takerFeeBps: 10, makerFeeBps: 10, slippageBps: 0 }
        : { takerFeeBps: 0, makerFeeBps: 0, slippageBps: 0 }),
    },
  })
  const risk = new RiskService({
    db,
    clock,
    log: silentLogger,
    trading,
    valuationMs: false,
    auditFlushMs: 60_000,
    alerts: opts.alerts,
  })
  risk.start()
  const buy = (amount: string, extra: object = {}) =>
    trading.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount, ...extra })
  const sell = (amount: string, extra: object = {}) =>
    trading.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'sell', type: 'market', amount, ...extra })
  return { db, clock, prices, trading, risk, buy, sell }
}

export async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}
