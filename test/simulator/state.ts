import type { BalanceInit } from './accounts'
import { unitsToNumber } from './decimal'
import type { MarketData } from './market-data'
import type { Engine } from './matching'
import type { Fill, Order } from './orders'
import type { KindCounts, RequestLog, RequestRecord } from './request-log'

/** An order as tests see it: plain numbers instead of exact units. */
export interface OrderView {
  apiKey: string
  symbol: string
  orderId: number
  clientOrderId: string
  side: Order['side']
  type: Order['type']
  timeInForce: Order['timeInForce']
  status: Order['status']
  price: number
  origQty: number
  executedQty: number
  cumQuote: number
  stopPrice: number
  origQuoteOrderQty: number
  icebergQty: number
  trailingDelta?: number
  selfTradePreventionMode: string
  time: number
  updateTime: number
  /** The OCO list it is a leg of, or -1. */
  orderListId: number
}

export interface TradeView {
  apiKey: string
  symbol: string
  id: number
  orderId: number
  price: number
  qty: number
  quoteQty: number
  commission: number
  commissionAsset: string
  time: number
  isBuyer: boolean
  isMaker: boolean
}

export interface BalanceView {
  free: number
  locked: number
  total: number
}

const orderView = (o: Order): OrderView => ({
  apiKey: o.apiKey,
  symbol: o.symbol,
  orderId: o.orderId,
  clientOrderId: o.clientOrderId,
  side: o.side,
  type: o.type,
  timeInForce: o.timeInForce,
  status: o.status,
  price: unitsToNumber(o.price),
  origQty: unitsToNumber(o.origQty),
  executedQty: unitsToNumber(o.executedQty),
  cumQuote: unitsToNumber(o.cumQuote),
  stopPrice: unitsToNumber(o.stopPrice),
  origQuoteOrderQty: unitsToNumber(o.origQuoteOrderQty),
  icebergQty: unitsToNumber(o.icebergQty),
  ...(o.trailingDelta !== undefined ? { trailingDelta: o.trailingDelta } : {}),
  selfTradePreventionMode: o.selfTradePreventionMode,
  time: o.time,
  updateTime: o.updateTime,
  orderListId: o.orderListId,
})

const tradeView = (f: Fill): TradeView => ({
  apiKey: f.apiKey,
  symbol: f.symbol,
  id: f.id,
  orderId: f.orderId,
  price: unitsToNumber(f.price),
  qty: unitsToNumber(f.qty),
  quoteQty: unitsToNumber(f.quoteQty),
  commission: unitsToNumber(f.commission),
  commissionAsset: f.commissionAsset,
  time: f.time,
  isBuyer: f.isBuyer,
  isMaker: f.isMaker,
})

/**
 * The in-process inspection API: what the exchange holds (orders, trades, balances per account)
 * and what it was asked (the request log), read without going through HTTP.
 */
export class SimulatorState {
  constructor(
    private readonly engine: Engine,
    private readonly log: RequestLog,
    private readonly data: MarketData,
    private readonly defaultKey: string,
    private readonly now: () => number,
    private readonly newCredentials: () => { apiKey: string; secret: string },
    private readonly onReset: () => void,
  ) {}

  orders(
    filter: { apiKey?: string; symbol?: string; status?: Order['status']; clientOrderId?: string } = {},
  ): OrderView[] {
    return this.engine
      .allOrders()
      .filter(
        (o) =>
          (filter.apiKey === undefined || o.apiKey === filter.apiKey) &&
          (filter.symbol === undefined || o.symbol === filter.symbol) &&
          (filter.status === undefined || o.status === filter.status) &&
          (filter.clientOrderId === undefined || o.clientOrderId === filter.clientOrderId),
      )
      .map(orderView)
  }

  trades(filter: { apiKey?: string; symbol?: string; orderId?: number } = {}): TradeView[] {
    return this.engine
      .allFills()
      .filter(
        (f) =>
          (filter.apiKey === undefined || f.apiKey === filter.apiKey) &&
          (filter.symbol === undefined || f.symbol === filter.symbol) &&
          (filter.orderId === undefined || f.orderId === filter.orderId),
      )
      .map(tradeView)
  }

  balances(apiKey = this.defaultKey): Record<string, BalanceView> {
    const account = this.engine.accounts.get(apiKey)
    if (!account) throw new Error(`no account for API key ${apiKey}`)
    return Object.fromEntries(
      account.entries().map(([asset, b]) => {
        const free = unitsToNumber(b.free)
        const locked = unitsToNumber(b.locked)
        return [asset, { free, locked, total: unitsToNumber(b.free + b.locked) }]
      }),
    )
  }

  setBalance(asset: string, amount: number | string, apiKey = this.defaultKey): void {
    const account = this.engine.accounts.get(apiKey)
    if (!account) throw new Error(`no account for API key ${apiKey}`)
    account.set(asset, amount, this.now())
  }

  /** Another account (its own key, secret and balances); keys are generated when not given. */
  addAccount(opts: { apiKey?: string; secret?: string; balances?: BalanceInit } = {}): {
    apiKey: string
    secret: string
  } {
    const fresh = this.newCredentials()
    const apiKey = opts.apiKey ?? fresh.apiKey
    const secret = opts.secret ?? fresh.secret
    this.engine.addAccount(apiKey, secret, opts.balances ?? {}, this.now())
    return { apiKey, secret }
  }

  requests(filter: { kind?: string } = {}): RequestRecord[] {
    return this.log.all(filter)
  }

  requestCounts(): Record<string, KindCounts> {
    return this.log.countsByKind()
  }

  symbols(): string[] {
    return this.data.symbols()
  }

  /**
   * Back to the start: no orders or trades, initial balances, empty request log, no price
   * overrides, no programmed or configured faults.
   */
  reset(): void {
    this.engine.reset(this.now())
    this.log.reset()
    this.data.resetOverrides()
    this.onReset()
  }
}
