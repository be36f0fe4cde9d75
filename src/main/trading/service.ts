import { randomBytes } from 'node:crypto'
import { AppError } from '../../shared/contract/errors'
import type { KeysRemoved } from '../../shared/contract/exchange'
import { pickCredentials } from '../../shared/domain/credentials'
import type { StartingBalance } from '../../shared/domain/starting-balances'
import type {
  AccountDeletion,
  DustConversions,
  ModifyOrderParams,
  OrderModification,
  PositionClose,
  ReconcileSummary,
} from '../../shared/contract/trading'
import type { AccountMarket, AccountQuote } from '../../shared/domain/account-market'
import type {
  Account,
  AccountMode,
  Balance,
  Fill,
  NormalizedOrder,
  OcoRequest,
  Order,
  OrderRequest,
  OrderValidation,
  Position,
  ReconciliationEvent,
  TradingUpdate,
} from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import { deleteAccountChecked } from './account-delete'
import { AccountMarkets, onDemoMarket, type Sink } from './account-market'
import { settleBrackets } from './brackets'
import { checkHeld } from './emulation'
import { cancelLinked } from './linked-cancel'
import { closePosition, type CloseOptions } from './close-position'
import { convertDust, type DustOptions } from './dust-conversion'
import { placeLegs } from './oco-legs'
import { createIntent } from './order-intent'
import { accountsHolding, accountsWaiting } from './order-links'
import { ChangeBus } from './bus'
import { assertLiveAllowed } from './live-gate'
import { passGate, previewGate, type OrderGate } from './order-gate'
import { aMode, assertPlacesOrders } from './account-mode'
import { saveLiveAccount, type LiveConnections, type LiveSaveParams } from './live-account-save'
import { deleteStartingBalances, loadStartingBalances, saveStartingBalances } from './starting-balances'
import { OrderPath } from './order-path'
import { PaperVenue, type PaperSettings } from './paper-venue'
import { UpdatesFeed } from './updates-feed'
import { assetDecimals } from './asset-decimals'
import { toDecimal, type Decimal } from './decimal'
import { toNormalizedOrder } from './validation'
import { reconcileAccount } from './reconcile'
import {
  balanceSnapshot,
  deleteAccountActivity,
  dueUnknownOrders,
  getAccount,
  getOrderRow,
  insertOrder,
  listAccounts,
  listEvents,
  listFills,
  listOrders,
  orderFromRow,
  ordersWithStatus,
  saveAccount as storeAccount,
  saveBalanceSnapshot,
  type StoredAccount,
} from './store'
import type { ExchangeHub } from '../exchange/hub'
import { CcxtVenue } from './ccxt-venue'
import type { ExchangeMarketData } from './exchange-prices'
import type { PriceSource, TradingVenue, VenueBalance, VenueMarket } from './venue'
import { positionIn, positionLedgers, warmPositionLedgers } from './position-book'
import { nextTurn } from '../next-turn'

export const DEFAULT_ACCOUNT_ID = 'demo-paper'

/**
 * The exchange connections live accounts trade through: the `ExchangeHub`. A live account names
 * one by its exchange id; that `ExchangeConnection` (its API URL, recvWindow and keys; breaker,
 * health, clock-skew guard) carries the account's requests.
 */
export type ExchangeConnections = Pick<ExchangeHub, 'connection'> & LiveConnections

/** A saved account, with the stored keys the save removed (see `saveAccount`). */
export type SavedAccount = Account & { keysRemoved: KeysRemoved[] }

export interface TradingServiceOptions {
  db: Db
  clock: Clock
  log?: Logger
  /** Prices for the fills and marks of paper accounts on the demo market. */
  prices: PriceSource
  /** Markets offered to paper accounts on the demo market. */
  paperMarkets: () => Iterable<VenueMarket>
  /**
   * Prices and markets of an exchange's public data (`ExchangePrices` over the hub), one per
   * exchange id: what paper accounts naming that exchange fill on, and the market (symbols,
   * steps, prices) live accounts on it are shown and marked at. Without it, paper accounts trade
   * on the demo market only and live accounts have no market before an order is checked.
   */
  exchangePaper?: (exchangeId: string) => ExchangeMarketData
  paperSettings?: Partial<PaperSettings>
  paperFeeCurrency?: 'received' | 'quote'
  /** Live accounts trade through these; without them only paper accounts can trade. */
  exchanges?: ExchangeConnections
  /** Test seam: builds a live account's venue instead of the exchange connection's. */
  liveVenue?: (account: StoredAccount) => TradingVenue | Promise<TradingVenue>
  newClientOrderId?: () => string
  outcomeMarginMs?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /**
   * Background work: paper ticks (resting orders), unknown-outcome checks, live polling of open
   * orders, bracket legs and held (emulated) orders. `false` for none (tests drive `tickPaper`,
   * `checkUnknown`, `syncLive` and `settleOrders` themselves).
   */
  timers?: { paperTickMs?: number; checkMs?: number; liveSyncMs?: number; settleMs?: number } | false
  /** How long position and balance updates are held to coalesce them (100 ms). */
  coalesceMs?: number
  afterIntent?: (order: Order) => void | Promise<void>
}

/**
 * The trading domain behind the contract: accounts, the order path, reconciliation, paper
 * venues, positions and balances, and the `trading.updates` stream.
 */
export class TradingService {
  readonly path: OrderPath
  readonly bus = new ChangeBus()
  private readonly db: Db
  private readonly clock: Clock
  private readonly log: Logger | undefined
  private readonly opts: TradingServiceOptions
  /** The market each account trades on (`trading.market`, `trading.quote`). */
  readonly markets: AccountMarkets
  private readonly venues = new Map<string, Promise<TradingVenue>>()
  private readonly timers: NodeJS.Timeout[] = []
  private busy = { tick: false, check: false, sync: false, settle: false }
  private closed = false

  constructor(opts: TradingServiceOptions) {
    this.opts = opts
    this.db = opts.db
    this.clock = opts.clock
    this.log = opts.log
    this.path = new OrderPath({
      db: opts.db,
      clock: opts.clock,
      bus: this.bus,
      log: opts.log,
      newClientOrderId: opts.newClientOrderId,
      outcomeMarginMs: opts.outcomeMarginMs,
      backoffBaseMs: opts.backoffBaseMs,
      backoffMaxMs: opts.backoffMaxMs,
      afterIntent: opts.afterIntent,
    })
    ensureDefaultAccount(this.db, this.clock.now())
    this.markets = new AccountMarkets({
      clock: opts.clock,
      log: opts.log,
      account: (id) => this.account(id),
      demo: { markets: () => opts.paperMarkets(), prices: opts.prices },
      exchange: (exchangeId) => this.publicData(exchangeId),
    })
  }

  /**
   * Start-up: every account's intents left half-sent by a previous run become unknown and are
   * looked up; live accounts are reconciled with their exchange (in the background: an
   * unreachable exchange must not hold up the app). Starts the timers.
   */
  async start(): Promise<void> {
    const work: Promise<unknown>[] = []
    for (const account of listAccounts(this.db)) {
      // Imported accounts have no venue to reconcile with (account-mode.ts).
      if (account.mode === 'imported') continue
      if (account.mode === 'paper') {
        work.push(
          this.reconcile(account.id).catch((err: unknown) =>
            this.warnUnlessClosed(`reconcile ${account.id}`, err),
          ),
        )
      } else if (this.hasKeys(account)) {
        work.push(
          this.reconcile(account.id).catch((err: unknown) =>
            this.warnUnlessClosed(`reconcile ${account.id}`, err),
          ),
        )
      }
    }
    const t = this.opts.timers
    if (t !== false) {
      const every = (ms: number, fn: () => Promise<unknown> | unknown) => {
        const h = setInterval(() => {
          void Promise.resolve()
            .then(fn)
            .catch((err: unknown) => this.log?.warn('trading background task failed', err))
        }, ms)
        h.unref()
        this.timers.push(h)
      }
      // A tick that filled something may have finished a bracket's entry: its legs follow at once.
      every(t?.paperTickMs ?? 250, () => (this.tickPaper() > 0 ? this.settleOrders() : 0))
      every(t?.checkMs ?? 1_000, () => this.checkUnknown())
      every(t?.liveSyncMs ?? 5_000, () => this.syncAllLive())
      every(t?.settleMs ?? 1_000, () => this.settleOrders())
    }
    await Promise.all(work)
    if (this.closed) return
    // Held (emulated) orders and waiting bracket legs are re-armed from what is stored.
    await this.settleOrders().catch((err: unknown) => this.warnUnlessClosed('re-arming held orders', err))
  }

  /** Work cut short by closing is not a failure worth a warning. */
  private warnUnlessClosed(what: string, err: unknown): void {
    if (!this.closed) this.log?.warn(what, err)
  }

  close(): void {
    this.closed = true
    this.updatesFeed?.close()
    for (const h of this.timers.splice(0)) clearInterval(h)
    for (const data of this.exchangePaper.values()) data.close()
    this.exchangePaper.clear()
  }

  // ------------------------------------------------------------ accounts

  accounts(): Account[] {
    return listAccounts(this.db).map((a) => this.present(a))
  }

  account(id: string): StoredAccount {
    const a = getAccount(this.db, id)
    if (!a) throw new AppError('not_found', `No trading account "${id}"`, 'params.accountId')
    return a
  }

  /** An account as the contract shows it: a live one with its connection's API URL and masked key. */
  private present(a: StoredAccount): Account {
    const exchanges = this.opts.exchanges
    if (a.mode !== 'live' || !exchanges) return { ...a, apiUrl: null, hasKeys: false, keyHint: null }
    const c = exchanges.connectionConfig(a.exchangeId)
    return { ...a, apiUrl: c.apiUrl, hasKeys: c.maskedKey !== null, keyHint: c.maskedKey }
  }

  private hasKeys(a: StoredAccount): boolean {
    return this.present(a).hasKeys
  }

  /**
   * Creates or updates an account. A live one: `saveLiveAccount` (its connection, its keys and the
   * rule that live trading goes on only with keys that check). A new paper account may be given
   * its starting balances; an existing one gets new ones when it is reset. An imported one
   * (`saveImportedAccount`) is only named. An account never becomes imported, nor stops being so:
   * imported fills and the order path's are not mixed.
   */
  async saveAccount(
    p: LiveSaveParams & {
      id?: string | undefined
      mode: AccountMode
      startingBalances?: readonly StartingBalance[] | undefined
    },
  ): Promise<SavedAccount> {
    const existing = p.id !== undefined ? getAccount(this.db, p.id) : undefined
    const id = p.id ?? `${slug(p.name)}-${randomBytes(3).toString('hex')}`
    if (existing && (existing.mode === 'imported') !== (p.mode === 'imported')) {
      throw new AppError(
        'conflict',
        `"${existing.name}" is ${aMode(existing)} account and cannot become ${aMode(p)} one; make a new account instead`,
        'params.mode',
      )
    }
    if (p.mode === 'imported') return this.saveImportedAccount(id, existing, p)
    if (p.mode === 'paper') {
      if (
        Object.keys(pickCredentials(p)).length > 0 ||
        p.liveEnabled === true ||
        (p.apiUrl ?? null) !== null
      ) {
        throw new AppError(
          'validation',
          'A paper account takes no API keys or URL and cannot trade live',
          'params.mode',
        )
      }
      if (p.startingBalances !== undefined && existing) {
        throw new AppError(
          'validation',
          `"${existing.name}" exists: its starting balances are set when it is reset (trading.resetPaper)`,
          'params.startingBalances',
        )
      }
      const exchangeId = await this.paperExchange(id, p.exchangeId, existing)
      const saved = storeAccount(
        this.db,
        { id, name: p.name, mode: 'paper', exchangeId, liveEnabled: false },
        this.clock.now(),
      )
      this.venues.delete(id)
      this.paperVenues.delete(id)
      if (p.startingBalances !== undefined) this.resetPaper(id, { startingBalances: p.startingBalances })
      return { ...this.present(saved), keysRemoved: [] }
    }
    if (p.startingBalances !== undefined) {
      throw new AppError(
        'validation',
        'A live account’s balances are its exchange’s',
        'params.startingBalances',
      )
    }
    const { saved, keysRemoved } = await saveLiveAccount(
      { db: this.db, clock: this.clock, exchanges: this.opts.exchanges, liveVenue: this.opts.liveVenue },
      id,
      existing,
      p,
    )
    this.venues.delete(id)
    return { ...this.present(saved), keysRemoved }
  }

  /**
   * An imported account: a name, and the exchange its fills were made on (`paper` when none is
   * named; an exchange id must be one ccxt knows). Takes no keys, URL, live switch or balances.
   */
  private async saveImportedAccount(
    id: string,
    existing: StoredAccount | undefined,
    p: LiveSaveParams & { startingBalances?: readonly StartingBalance[] | undefined },
  ): Promise<SavedAccount> {
    if (
      Object.keys(pickCredentials(p)).length > 0 ||
      p.liveEnabled === true ||
      (p.apiUrl ?? null) !== null ||
      p.startingBalances !== undefined
    ) {
      throw new AppError(
        'validation',
        'An imported account holds imported trades only: it takes no API keys, URL, live switch or starting balances',
        'params.mode',
      )
    }
    const exchangeId = p.exchangeId ?? existing?.exchangeId ?? 'paper'
    if (exchangeId !== 'paper' && exchangeId !== existing?.exchangeId) {
      if (!this.opts.exchanges) {
        throw new AppError(
          'unavailable',
          'Naming an exchange needs the exchange connections, which are not running',
          'params.exchangeId',
        )
      }
      await this.opts.exchanges.assertExchange(exchangeId)
    }
    const saved = storeAccount(
      this.db,
      { id, name: p.name, mode: 'imported', exchangeId, liveEnabled: false },
      this.clock.now(),
    )
    return { ...this.present(saved), keysRemoved: [] }
  }

  /**
   * The live account trading through an exchange's connection with its switch on, by name, or
   * null: the hub stores no unchecked keys under it (`ExchangeHub.guardUncheckedKeys`).
   */
  liveAccountOn(exchangeId: string): string | null {
    const on = listAccounts(this.db).find(
      (a) => a.mode === 'live' && a.exchangeId === exchangeId && a.liveEnabled,
    )
    return on?.name ?? null
  }

  /**
   * Which prices a paper account trades on: `paper` (the demo market) or an exchange id (that
   * exchange's public prices and markets). Not given: as before, the demo market for a new one.
   * Its book is priced in that market, so it cannot move while orders rest in it.
   */
  private async paperExchange(
    id: string,
    given: string | undefined,
    existing: StoredAccount | undefined,
  ): Promise<string> {
    const exchangeId = given ?? (existing?.mode === 'paper' ? existing.exchangeId : 'paper')
    if (exchangeId !== 'paper') {
      if (id === DEFAULT_ACCOUNT_ID) {
        throw new AppError(
          'validation',
          'The Demo paper account trades on the demo market; create another paper account for an exchange',
          'params.exchangeId',
        )
      }
      if (!this.opts.exchanges || !this.opts.exchangePaper) {
        throw new AppError(
          'unavailable',
          'Paper trading on exchange prices needs the exchange connections, which are not running',
          'params.exchangeId',
        )
      }
      await this.opts.exchanges.assertExchange(exchangeId)
    }
    if (existing?.mode === 'paper' && existing.exchangeId !== exchangeId) {
      if (ordersWithStatus(this.db, id, ['open', 'partially_filled']).length > 0) {
        throw new AppError(
          'conflict',
          `"${existing.name}" has open orders on ${existing.exchangeId}; cancel them before changing its prices`,
          'params.exchangeId',
        )
      }
    }
    return exchangeId
  }

  /** The prices and markets of a paper account on an exchange (undefined for the demo market). */
  private paperData(account: Pick<StoredAccount, 'mode' | 'exchangeId'>): ExchangeMarketData | undefined {
    if (account.mode !== 'paper' || account.exchangeId === 'paper') return undefined
    return this.publicData(account.exchangeId)
  }

  /** An exchange's public prices and markets, one per exchange id (paper fills, live marks, the ticket). */
  private publicData(exchangeId: string): ExchangeMarketData {
    const make = this.opts.exchangePaper
    if (!make) {
      throw new AppError(
        'unavailable',
        `Prices and markets of ${exchangeId} need the exchange connections, which are not running`,
      )
    }
    let data = this.exchangePaper.get(exchangeId)
    if (!data) this.exchangePaper.set(exchangeId, (data = make(exchangeId)))
    return data
  }

  private readonly exchangePaper = new Map<string, ExchangeMarketData>()

  /**
   * Where an account's marks come from: the demo market for paper accounts on it, otherwise its
   * own exchange's public prices (fresh only). Never the demo market's price of the same symbol.
   */
  private pricesOf(account: StoredAccount): PriceSource {
    if (onDemoMarket(account)) return this.opts.prices
    try {
      return this.publicData(account.exchangeId)
    } catch {
      // No exchange connections: no mark at all.
      return { quote: () => undefined }
    }
  }

  /** Follows the market an account trades on (`trading.market`). */
  watchMarket(accountId: string, sink: Sink<AccountMarket>): () => void {
    return this.markets.watch(accountId, sink)
  }

  /** Follows one symbol's price on the account's own market (`trading.quote`). */
  watchQuote(accountId: string, symbol: string, sink: Sink<AccountQuote>): () => void {
    return this.markets.watchQuote(accountId, symbol, sink)
  }

  /** The account's venue (built once and kept; a live one follows its connection's changes). */
  venue(account: StoredAccount): Promise<TradingVenue> {
    let v = this.venues.get(account.id)
    if (!v) {
      v = this.buildVenue(account)
      this.venues.set(account.id, v)
      v.catch(() => this.venues.delete(account.id))
    }
    return v
  }

  private async buildVenue(account: StoredAccount): Promise<TradingVenue> {
    assertPlacesOrders(account)
    if (account.mode === 'paper') return this.paperVenue(account.id)
    if (this.opts.liveVenue) return this.opts.liveVenue(account)
    if (!this.opts.exchanges) {
      throw new AppError('unavailable', 'Live accounts need the exchange connections, which are not running')
    }
    return new CcxtVenue(this.opts.exchanges, account.exchangeId)
  }

  private paperVenues = new Map<string, PaperVenue>()
  paperVenue(accountId: string): PaperVenue {
    let v = this.paperVenues.get(accountId)
    if (!v) {
      const data = this.paperData(this.account(accountId))
      v = new PaperVenue({
        db: this.db,
        accountId,
        clock: this.clock,
        settings: this.opts.paperSettings,
        feeCurrency: this.opts.paperFeeCurrency,
        ...(data
          ? {
              // The exchange's markets with its own fee rates: paper pays what a live order would.
              prices: data,
              markets: () => data.markets(),
              fees: 'market' as const,
              marketsProblem: () => data.marketsProblem(),
            }
          : { prices: this.opts.prices, markets: this.opts.paperMarkets }),
      })
      this.paperVenues.set(accountId, v)
    }
    return v
  }

  /**
   * Paper on an exchange: its markets loaded and a fresh price tried for, before an order is
   * checked. A market order without a fresh price is refused here, saying why (the exchange down,
   * the price too old), rather than by validation's generic "no current price".
   */
  private async preparePaper(
    account: StoredAccount,
    req: Pick<OrderRequest, 'symbol' | 'type'>,
  ): Promise<void> {
    const data = this.paperData(account)
    if (!data || !(await data.prepare(req.symbol)) || req.type !== 'market' || data.quote(req.symbol)) return
    const why = data.whyNoQuote(req.symbol) ?? `No ${account.exchangeId} price for ${req.symbol} right now`
    throw new AppError('unavailable', why, 'params.symbol')
  }

  // ------------------------------------------------------------ orders

  /**
   * Puts the risk engine in front of every new order and modification (order-gate.ts). The
   * engine wires it after both domains exist, as the hub's unchecked-keys guard is wired.
   */
  setOrderGate(gate: OrderGate): void {
    this.path.orderGate = gate
  }

  /**
   * Places an order. A live one needs the account's live switch on and `confirm: true`
   * (live-gate.ts), checked before anything is asked of the exchange and again, from the stored
   * account, just before its intent is written: a switch turned off while the order was being
   * checked still stops it.
   */
  async placeOrder(req: OrderRequest): Promise<Order> {
    const account = this.account(req.accountId)
    assertPlacesOrders(account)
    // A retry under the caller's id is answered from what is stored: nothing is checked or sent.
    const repeat = await this.path.repeatOf(account.id, req)
    if (repeat) return repeat
    assertLiveAllowed(account, req)
    await this.preparePaper(account, req)
    const venue = await this.venue(account)
    const order = await this.path.placeOrder(account, venue, req, () =>
      assertLiveAllowed(this.account(req.accountId), req),
    )
    if (req.takeProfit === undefined && req.stopLoss === undefined) return order
    // A bracket whose entry filled at once gets its legs now.
    await settleBrackets(this.path, venue, account.id).catch((err: unknown) =>
      this.log?.warn(`bracket legs of ${order.clientOrderId}`, err),
    )
    return this.path.order(account.id, order.clientOrderId)
  }

  /**
   * Places an OCO (oco-legs.ts): both legs are checked, written with their client order ids and
   * the list's, then placed as one list where the venue has them, else with the stop held by
   * the engine. Answers with both legs, take-profit first.
   */
  async placeOco(req: OcoRequest): Promise<Order[]> {
    const account = this.account(req.accountId)
    assertPlacesOrders(account)
    assertLiveAllowed(account, req)
    await this.preparePaper(account, { symbol: req.symbol, type: 'limit' })
    const venue = await this.venue(account)
    const n = await this.path.validateOco(account, venue, req)
    // An OCO is one exposure: the risk engine sees its take-profit leg (both legs share the amount).
    passGate(this.path.orderGate, account.id, n.takeProfit)
    assertLiveAllowed(this.account(req.accountId), req)
    const newId = this.path.newClientOrderId
    const group = newId()
    const legs = [n.takeProfit, n.stopLoss].map(
      (leg) => createIntent(this.clock, newId, account.id, leg, 'pending', null, { ocoGroup: group }).row,
    )
    this.path.tx(() => {
      for (const r of legs) insertOrder(this.db, r)
      for (const r of legs) this.path.emitOrderRow(r.account_id, r.client_order_id)
    })
    return placeLegs(
      this.path,
      venue,
      { takeProfit: legs[0], stopLoss: legs[1] },
      'pending',
      n.takeProfit.amount,
    )
  }

  async validateOco(req: OcoRequest): Promise<OrderValidation> {
    const account = this.account(req.accountId)
    try {
      await this.preparePaper(account, { symbol: req.symbol, type: 'limit' })
      const n = await this.path.validateOco(account, await this.venue(account), req)
      return { valid: true, order: toNormalizedOrder(n.takeProfit), error: null }
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      const error: OrderValidation['error'] = { kind: err.kind, message: err.message }
      if (err.path !== undefined) error.path = err.path
      return { valid: false, order: null, error }
    }
  }

  /** Closes a position, canceling the resting orders that hold it if asked (close-position.ts). */
  async closePosition(p: { accountId: string } & CloseOptions): Promise<PositionClose> {
    const account = this.account(p.accountId)
    assertPlacesOrders(account)
    await this.preparePaper(account, { symbol: p.symbol, type: 'market' })
    return closePosition(this.path, account, await this.venue(account), p, () => this.account(p.accountId))
  }

  /** Converts the account's dust where its venue can (dust-conversion.ts). */
  async convertDust(p: { accountId: string } & DustOptions): Promise<DustConversions> {
    const account = this.account(p.accountId)
    return convertDust(this.path, account, await this.venue(account), p, () => this.account(p.accountId))
  }

  /**
   * Places many orders on a paper account in one transaction (a basket, a strategy's batch).
   * Each still gets its intent before it is sent; the batch commits as a whole. Returns, per
   * order, the order or the error that refused it. Live orders go one by one (placeOrder).
   */
  placeOrders(accountId: string, reqs: readonly Omit<OrderRequest, 'accountId'>[]): Array<Order | AppError> {
    const account = this.account(accountId)
    assertPlacesOrders(account)
    if (account.mode !== 'paper') {
      throw new AppError(
        'invalid_order',
        'Batches are for paper accounts; live orders are placed one by one',
        'params.accountId',
      )
    }
    return this.path.placeLocalBatch(
      account,
      this.paperVenue(accountId),
      reqs.map((r) => ({ ...r, accountId })),
    )
  }

  /**
   * The order as the order path checks it (rounded to the market, its reference price and
   * notional, the balance it needs), without asking the risk engine: what the risk preview
   * measures (risk.previewOrder). Throws the check's error, as placing it would.
   */
  async checkedOrder(req: OrderRequest): Promise<NormalizedOrder> {
    const account = this.account(req.accountId)
    await this.preparePaper(account, req)
    return toNormalizedOrder(await this.path.validate(account, await this.venue(account), req))
  }

  async validateOrder(req: OrderRequest): Promise<OrderValidation> {
    const account = this.account(req.accountId)
    try {
      await this.preparePaper(account, req)
      const checked = await this.path.validate(account, await this.venue(account), req)
      // What the risk engine would answer now, without counting it as an order (the ticket's check).
      previewGate(this.path.orderGate, account.id, checked)
      return { valid: true, order: toNormalizedOrder(checked), error: null }
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      const error: OrderValidation['error'] = { kind: err.kind, message: err.message }
      if (err.path !== undefined) error.path = err.path
      return { valid: false, order: null, error }
    }
  }

  /**
   * Cancels an order (linked-cancel.ts: a waiting or held order here, the others of its OCO
   * with it); a bracket entry's waiting legs follow it (canceled, or placed for what it filled).
   */
  async cancelOrder(accountId: string, clientOrderId: string): Promise<Order> {
    const account = this.account(accountId)
    assertPlacesOrders(account)
    const venue = await this.venue(account)
    const order = await cancelLinked(this.path, venue, accountId, clientOrderId, () =>
      this.path.cancelOrder(venue, accountId, clientOrderId),
    )
    await settleBrackets(this.path, venue, accountId).catch((err: unknown) =>
      this.log?.warn(`bracket legs after canceling ${clientOrderId}`, err),
    )
    return this.path.order(accountId, order.clientOrderId)
  }

  /**
   * Follows bracket entries (brackets.ts: places their legs once done) and watches the orders
   * the engine holds (emulation.ts: fires them on the last price) for one account or all that
   * have any. Held orders are read from the database each time, so after a restart they are
   * re-armed by the first run. Returns how many orders went out.
   */
  async settleOrders(accountId?: string): Promise<number> {
    if (this.closed || this.busy.settle) return 0
    this.busy.settle = true
    try {
      const ids =
        accountId !== undefined
          ? [accountId]
          : [...new Set([...accountsHolding(this.db), ...accountsWaiting(this.db)])]
      let n = 0
      for (const id of ids) {
        const account = getAccount(this.db, id)
        if (!account || account.mode === 'imported') continue
        if (account.mode === 'live' && !this.hasKeys(account) && !this.opts.liveVenue) continue
        try {
          const venue = await this.venue(account)
          n += await settleBrackets(this.path, venue, id)
          n += await checkHeld(this.path, venue, id, (symbol) => this.lastPrice(account, venue, symbol))
        } catch (err) {
          this.log?.warn(`brackets and held orders of ${id}`, err)
        }
      }
      return n
    } finally {
      this.busy.settle = false
    }
  }

  /** The last price held orders fire on: the paper account's own prices, or the exchange's ticker. */
  private async lastPrice(
    account: StoredAccount,
    venue: TradingVenue,
    symbol: string,
  ): Promise<Decimal | undefined> {
    if (account.mode === 'paper') return this.pricesOf(account).quote(symbol)?.last
    return (await venue.fetchQuote(symbol)).last
  }

  /**
   * Changes an open order's price, stop price or amount (order-modify.ts). A live one needs the
   * live switch on and `confirm: true`, checked first and again right before anything is sent.
   */
  async modifyOrder(req: ModifyOrderParams): Promise<OrderModification> {
    const account = this.account(req.accountId)
    assertPlacesOrders(account)
    assertLiveAllowed(account, req)
    const row = this.path.row(req.accountId, req.clientOrderId)
    this.path.orderGate?.checkModify(account.id, req.clientOrderId)
    await this.preparePaper(account, { symbol: row.symbol, type: row.type })
    const change = { price: req.price, stopPrice: req.stopPrice, amount: req.amount }
    return this.path.modifyOrder(account, await this.venue(account), req.clientOrderId, change, () =>
      assertLiveAllowed(this.account(req.accountId), req),
    )
  }

  orders(
    accountId: string,
    opts: { symbol?: string | undefined; clientOrderId?: string | undefined; limit: number },
  ): Order[] {
    this.account(accountId)
    if (opts.clientOrderId !== undefined) {
      const row = getOrderRow(this.db, accountId, opts.clientOrderId)
      return row && (opts.symbol === undefined || row.symbol === opts.symbol)
        ? [orderFromRow(this.db, row)]
        : []
    }
    return listOrders(this.db, accountId, opts).map((r) => orderFromRow(this.db, r))
  }

  fills(
    accountId: string,
    opts: { symbol?: string | undefined; since?: number | undefined; limit: number },
  ): Fill[] {
    this.account(accountId)
    return listFills(this.db, accountId, opts)
  }

  events(accountId: string, opts: { afterId?: number | undefined; limit: number }): ReconciliationEvent[] {
    this.account(accountId)
    return listEvents(this.db, accountId, opts)
  }

  /** Positions from every stored fill, marked at the venue's current last price. */
  async positions(accountId: string, includeFlat = false): Promise<Position[]> {
    const account = this.account(accountId)
    // A big book's first build is spread over turns of the event loop (position-book.ts).
    await warmPositionLedgers(this.db, accountId, nextTurn)
    const ledgers = positionLedgers(this.db, accountId)
    const symbols = [...ledgers.keys()]
    const marks = new Map<string, Decimal | null>()
    const venue = await this.venue(account).catch(() => undefined)
    const markets = await this.loadMarketsOf(account, venue)
    await Promise.all(
      symbols.map(async (s) => {
        marks.set(s, await this.markOf(account, venue, s))
      }),
    )
    const all = [...ledgers.values()].map((l) =>
      l.position(accountId, marks.get(l.symbol) ?? null, markets.get(l.symbol) ?? null),
    )
    return includeFlat ? all : all.filter((p) => p.side !== 'flat')
  }

  /**
   * The markets an account trades on, as last loaded: what positions (their lot step: dust)
   * and balances (each asset's places) are shown with. Loaded for positions and balances and
   * kept, so that the updates pushed between them need not wait on the exchange.
   */
  private readonly knownMarkets = new Map<string, ReadonlyMap<string, VenueMarket>>()

  private async loadMarketsOf(
    account: StoredAccount,
    venue: TradingVenue | undefined,
  ): Promise<ReadonlyMap<string, VenueMarket>> {
    if (account.mode === 'paper') return this.paperVenue(account.id).marketsSync()
    const markets = await venue?.loadMarkets().catch(() => undefined)
    if (markets) this.knownMarkets.set(account.id, markets)
    return markets ?? this.knownMarkets.get(account.id) ?? new Map()
  }

  /** The market's lot step as known now (paper: always; live: once its markets loaded); null when unknown. */
  lotStep(accountId: string, symbol: string): Decimal | null {
    const step = this.marketsNow(this.account(accountId)).get(symbol)?.amountStep
    return step?.isPositive() ? step : null
  }

  /** The markets of an account known now, without asking the exchange (see loadMarketsOf). */
  private marketsNow(account: StoredAccount): ReadonlyMap<string, VenueMarket> {
    if (account.mode === 'paper') return this.paperVenue(account.id).marketsSync()
    return this.knownMarkets.get(account.id) ?? new Map()
  }

  private async markOf(
    account: StoredAccount,
    venue: TradingVenue | undefined,
    symbol: string,
  ): Promise<Decimal | null> {
    const local = this.pricesOf(account).quote(symbol)
    if (venue?.id === 'paper' || !venue) return local?.last ?? null
    try {
      return (await venue.fetchQuote(symbol)).last
    } catch {
      return local?.last ?? null
    }
  }

  async balances(accountId: string): Promise<{ asOf: number; stale: boolean; balances: Balance[] }> {
    const account = this.account(accountId)
    const now = this.clock.now()
    if (account.mode === 'paper') {
      const paper = this.paperVenue(accountId)
      return { asOf: now, stale: false, balances: toBalances(paper.balances(), paper.marketsSync().values()) }
    }
    // Its fills are all it holds: no balances are known.
    if (account.mode === 'imported') return { asOf: now, stale: false, balances: [] }
    const venue = await this.venue(account).catch(() => undefined)
    const places = assetDecimals((await this.loadMarketsOf(account, venue)).values())
    try {
      if (!venue) throw new AppError('unavailable', `${account.name}: no connection to ${account.exchangeId}`)
      const fetched = await venue.fetchBalance()
      this.path.rememberBalances(accountId, fetched)
      const balances = toBalances(fetched, [], places)
      saveBalanceSnapshot(this.db, accountId, balances, now)
      return { asOf: now, stale: false, balances }
    } catch (err) {
      const snap = balanceSnapshot(this.db, accountId)
      if (!snap) throw err
      return { asOf: snap.asOf, stale: true, balances: withDecimals(snap.balances, places) }
    }
  }

  async reconcile(accountId: string): Promise<ReconcileSummary> {
    const account = this.account(accountId)
    const venue = await this.venue(account)
    const summary = await reconcileAccount(this.path, venue, accountId, { stopped: () => this.closed })
    if (account.mode === 'live') await this.balances(accountId).catch(() => undefined)
    return summary
  }

  /**
   * Resets a paper account: its book, its orders, fills and events, and its balances, to the
   * starting balances given (which it keeps from then on) or to those it has.
   */
  resetPaper(
    accountId: string,
    opts: {
      startingBalance?: string | undefined
      asset?: string | undefined
      startingBalances?: readonly StartingBalance[] | undefined
    },
  ): Balance[] {
    const account = this.account(accountId)
    if (account.mode !== 'paper') {
      throw new AppError(
        'invalid_order',
        `"${account.name}" is ${aMode(account)} account; only paper accounts can be reset`,
        'params.accountId',
      )
    }
    const venue = this.paperVenue(accountId)
    const now = this.clock.now()
    this.db.transaction(() => {
      if (opts.startingBalances !== undefined) {
        // Exact strings, kept as typed.
        venue.reset({
          balances: opts.startingBalances.map((b) => ({ asset: b.asset, amount: toDecimal(b.amount) })),
        })
        saveStartingBalances(this.db, accountId, opts.startingBalances, now)
      } else if (opts.startingBalance !== undefined || opts.asset !== undefined) {
        venue.reset({
          startingAmount: opts.startingBalance === undefined ? undefined : toDecimal(opts.startingBalance),
          asset: opts.asset,
        })
        deleteStartingBalances(this.db, accountId)
      } else {
        const start = loadStartingBalances(this.db, accountId, venue.settings)
        venue.reset({ balances: start.map((b) => ({ asset: b.asset, amount: toDecimal(b.amount) })) })
      }
      deleteAccountActivity(this.db, accountId)
    })()
    this.path.emit({ type: 'balance', accountId })
    return toBalances(venue.balances(), venue.marketsSync().values())
  }

  /** A paper account's starting balances (what a reset without balances restores). */
  startingBalances(accountId: string): StartingBalance[] {
    const account = this.account(accountId)
    if (account.mode !== 'paper') {
      throw new AppError(
        'validation',
        account.mode === 'live'
          ? `"${account.name}" is a live account; its balances are its exchange’s`
          : `"${account.name}" is ${aMode(account)} account; only paper accounts have starting balances`,
        'params.accountId',
      )
    }
    return loadStartingBalances(this.db, accountId, this.paperVenue(accountId).settings)
  }

  /**
   * Deletes an account with its orders, fills, events and paper book (account-delete.ts has the
   * rules). A live account's exchange connection and keys stay. Subscribers hear of it as
   * `accountRemoved`.
   */
  deleteAccount(
    accountId: string,
    opts: { confirm?: boolean | undefined; dryRun: boolean },
  ): AccountDeletion {
    const account = this.account(accountId)
    const builtIn = accountId === DEFAULT_ACCOUNT_ID
    const result = this.path.tx(() => deleteAccountChecked(this.db, account, { ...opts, builtIn }))
    if (result.deleted) {
      this.venues.delete(accountId)
      this.paperVenues.delete(accountId)
      this.path.emit({ type: 'accountRemoved', accountId })
    }
    return result
  }

  // ------------------------------------------------------------ background work

  /** Fills resting paper orders the prices now reach; returns how many orders changed. */
  tickPaper(): number {
    if (this.closed || this.busy.tick) return 0
    this.busy.tick = true
    try {
      let n = 0
      const now = this.clock.now()
      for (const account of listAccounts(this.db)) {
        if (account.mode !== 'paper') continue
        let venue: PaperVenue
        try {
          venue = this.paperVenue(account.id)
        } catch (err) {
          // One account without its prices (no exchange connections) must not stop the others' fills.
          this.log?.warn(`paper tick skipped for ${account.id}`, err)
          continue
        }
        n += this.path.tx(() => {
          const updates = venue.tickSync(now, { ledgerRecordsFills: true })
          this.path.applyTick(account.id, updates)
          return updates.length
        })
      }
      return n
    } finally {
      this.busy.tick = false
    }
  }

  /** Looks up every unknown order whose next check is due. */
  async checkUnknown(): Promise<number> {
    if (this.closed || this.busy.check) return 0
    this.busy.check = true
    try {
      const due = dueUnknownOrders(this.db, this.clock.now())
      for (const row of due) {
        if (this.path.isInFlight(row.account_id, row.client_order_id)) continue
        const account = getAccount(this.db, row.account_id)
        if (!account) continue
        try {
          await this.path.resolve(await this.venue(account), row.account_id, row.client_order_id)
        } catch (err) {
          this.log?.warn(`checking order ${row.client_order_id} failed`, err)
        }
      }
      return due.length
    } finally {
      this.busy.check = false
    }
  }

  private async syncAllLive(): Promise<void> {
    if (this.closed || this.busy.sync) return
    this.busy.sync = true
    try {
      for (const account of listAccounts(this.db)) {
        if (account.mode !== 'live' || !this.hasKeys(account)) continue
        await this.syncLive(account.id).catch((err: unknown) => this.log?.warn(`sync ${account.id}`, err))
      }
    } finally {
      this.busy.sync = false
    }
  }

  /**
   * Polls a live account: every order we hold open is refreshed from the exchange (one call
   * for all open orders, one per order that left the book) and fills are fetched for orders
   * whose filled amount is ahead of their recorded fills.
   */
  async syncLive(accountId: string): Promise<void> {
    const account = this.account(accountId)
    const rows = ordersWithStatus(this.db, accountId, ['open', 'partially_filled'])
    if (rows.length === 0) return
    const venue = await this.venue(account)
    // One call per symbol: Binance weighs an all-symbols openOrders call 80, a one-symbol call 6.
    const open = (
      await Promise.all([...new Set(rows.map((r) => r.symbol))].map((s) => venue.fetchOpenOrders(s)))
    ).flat()
    const byId = new Map(open.map((o) => [`${o.symbol}\u0000${o.id}`, o]))
    const needFills = new Map<string, number>()
    for (const row of rows) {
      if (row.exchange_order_id === null || this.path.isInFlight(accountId, row.client_order_id)) continue
      const vo =
        byId.get(`${row.symbol}\u0000${row.exchange_order_id}`) ??
        (await venue.fetchOrder({ symbol: row.symbol, id: row.exchange_order_id }))
      const r = this.path.tx(() => this.path.apply(accountId, vo, { expected: row }))
      if (r.missingFills)
        needFills.set(row.symbol, Math.min(needFills.get(row.symbol) ?? Infinity, row.created_at - 1_000))
    }
    for (const [symbol, since] of needFills) await this.path.syncFills(venue, accountId, symbol, since, false)
  }

  // ------------------------------------------------------------ the stream

  /** The `trading.updates` stream: positions and balances computed once per change, for every subscriber. */
  private updatesFeed: UpdatesFeed | undefined

  /**
   * Subscribes to changes of one account (or all). Orders, fills and reconciliation events
   * are passed on as they happen; positions and balances are recomputed at most once per
   * `coalesceMs` per account, for the symbols that changed, once for all subscribers.
   */
  subscribe(accountId: string | undefined, emit: (u: TradingUpdate) => void): () => void {
    this.updatesFeed ??= new UpdatesFeed(
      this.bus,
      {
        positions: (acc, symbols) => {
          const account = getAccount(this.db, acc)
          if (!account) return null
          const markets = this.marketsNow(account)
          return [...symbols].map((s) =>
            positionIn(
              this.db,
              acc,
              s,
              this.pricesOf(account).quote(s)?.last ?? null,
              markets.get(s) ?? null,
            ),
          )
        },
        balances: async (acc) =>
          getAccount(this.db, acc) ? await this.balances(acc).catch(() => null) : null,
      },
      this.opts.coalesceMs ?? 100,
      (err) => this.warnUnlessClosed('trading updates', err),
    )
    return this.updatesFeed.subscribe(accountId, emit)
  }
}

export function ensureDefaultAccount(db: Db, now: number): void {
  if (getAccount(db, DEFAULT_ACCOUNT_ID)) return
  storeAccount(
    db,
    { id: DEFAULT_ACCOUNT_ID, name: 'Demo paper', mode: 'paper', exchangeId: 'paper', liveEnabled: false },
    now,
  )
}

/** Balances as the contract sends them: exact text, each with its asset's places (asset-decimals.ts). */
function toBalances(
  map: ReadonlyMap<string, VenueBalance>,
  markets: Iterable<VenueMarket>,
  places = assetDecimals(markets),
): Balance[] {
  return [...map]
    .map(([asset, b]) => ({
      asset,
      free: b.free.toString(),
      used: b.used.toString(),
      total: b.total.toString(),
      decimals: places(asset),
    }))
    .sort((a, b) => a.asset.localeCompare(b.asset))
}

/** Stored balances with their assets' places. */
function withDecimals(balances: readonly Balance[], places: (asset: string) => number | null): Balance[] {
  return balances.map((b) => ({ ...b, decimals: places(b.asset) }))
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return s === '' ? 'account' : s
}
