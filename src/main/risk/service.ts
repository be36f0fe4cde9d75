import { AppError, validationError } from '../../shared/contract/errors'
import {
  RISK_DEFAULTS,
  riskLimitsSchema,
  type AccountRisk,
  type AuditEntry,
  type KillSwitchReport,
  type RiskLimits,
  type RiskOverview,
  type RiskUpdate,
  type StateEntry,
  type TradingState,
} from '../../shared/contract/risk'
import type { LimitHeadroom } from '../../shared/contract/risk-preview'
import type { Order } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { TradingChange } from '../trading/bus'
import { Decimal } from '../trading/decimal'
import type { GatedOrder, OrderGate } from '../trading/order-gate'
import { waitingLegs } from '../trading/order-links'
import { orderRefsWithStatus } from '../trading/store'
import { AccountBook } from './book'
import { checkOrder, reducesPosition, symbolQuote, type Refusal } from './check'
import { KillSwitch } from './kill-switch'
import { limitHeadroom } from './preview'
import { watchKillRequests, writeKillReport } from './kill-request'
import { compileLimits, mergeLimits, type CompiledLimits } from './limits'
import type { RiskAlerts, RiskTrading } from './ports'
import {
  insertAudit,
  listAudit,
  loadDays,
  loadLimits,
  loadStates,
  saveDay,
  saveLimits,
  saveState,
  type DayRow,
  type NewAuditEntry,
} from './store'
import { nextTradingDayStart, tradingDayStart } from './trading-day'

export const GLOBAL = 'global'

export interface RiskServiceOptions {
  db: Db
  clock: Clock
  log?: Logger | undefined
  trading: RiskTrading
  alerts?: RiskAlerts | undefined
  /** How often accounts are valued (day P&L, equity, marks): 2 s; false for never (tests call `valueAll`). */
  valuationMs?: number | false
  /** How often the audit log's queue is written: 250 ms. */
  auditFlushMs?: number
  /** The data folder, watched for kill switch requests from the CLI (kill-request.ts); none in tests that do not ask. */
  dataDir?: string | undefined
  /** Kill switch cancel retries: base doubling to max (1 s .. 15 s). */
  retryBaseMs?: number
  retryMaxMs?: number
}

const ACTIVE: readonly ('open' | 'partially_filled' | 'pending' | 'sent' | 'unknown')[] = [
  'open',
  'partially_filled',
  'pending',
  'sent',
  'unknown',
]
const SEVERITY: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 }

/**
 * The risk engine: in front of every order (it is trading's `OrderGate`), it keeps the limits,
 * the trading states and, per account, a book of what its rules read (positions, open orders,
 * the orders accepted in the last minute, today's P&L, equity and its peak), so that an order
 * is checked from memory (check.ts). Every decision goes to the audit log, written in batches
 * off the order path (at most `auditFlushMs` later; a crash loses at most that much of it).
 */
export class RiskService implements OrderGate {
  private readonly db: Db
  private readonly clock: Clock
  private readonly log: Logger | undefined
  private readonly trading: RiskTrading
  private readonly alerts: RiskAlerts | undefined
  private limits: Map<string, RiskLimits>
  private readonly compiled = new Map<string, CompiledLimits>()
  private readonly states: Map<string, StateEntry>
  private readonly days: Map<string, DayRow>
  private readonly books = new Map<string, AccountBook>()
  private readonly names = new Map<string, string>()
  private queue: (NewAuditEntry | AcceptedOrder)[] = []
  private readonly listeners = new Set<(u: RiskUpdate) => void>()
  /** One-shot passes for the kill switch's closing orders, by `account\nsymbol`. */
  private readonly exemptions = new Set<string>()
  private readonly timers: NodeJS.Timeout[] = []
  private stopBus: (() => void) | undefined
  private stopWatch: (() => void) | undefined
  private valuing = false
  private closed = false
  readonly killSwitch: KillSwitch

  constructor(private readonly opts: RiskServiceOptions) {
    this.db = opts.db
    this.clock = opts.clock
    this.log = opts.log
    this.trading = opts.trading
    this.alerts = opts.alerts
    this.limits = loadLimits(this.db)
    this.states = loadStates(this.db)
    this.days = loadDays(this.db)
    this.killSwitch = new KillSwitch({
      clock: this.clock,
      log: this.log,
      trading: this.trading,
      risk: this,
      retryBaseMs: opts.retryBaseMs ?? 1_000,
      retryMaxMs: opts.retryMaxMs ?? 15_000,
    })
    this.refreshAccounts()
  }

  start(): void {
    this.trading.setOrderGate(this)
    this.stopBus = this.trading.bus.on((c) => this.onTrading(c))
    const flushMs = this.opts.auditFlushMs ?? 250
    this.timers.push(setInterval(() => this.flushAudit(), flushMs))
    const dataDir = this.opts.dataDir
    if (dataDir !== undefined) {
      const stop = watchKillRequests(
        dataDir,
        (r) => {
          this.log?.warn(`kill switch requested from the command line (${r.id})`)
          let last: KillSwitchReport | undefined
          // Its report follows every change until the run has no cancels left to retry.
          const off = this.subscribeKill((report) => {
            last = report
            writeKillReport(dataDir, r.id, report)
            if (!report.running) off()
          })
          this.killSwitch.press(r.closePositions).then(
            (report) => writeKillReport(dataDir, r.id, last && !last.running ? last : report),
            (err: unknown) => this.log?.error('kill switch from the command line', err),
          )
        },
        this.log,
      )
      this.stopWatch = stop
    }
    const valuationMs = this.opts.valuationMs ?? 2_000
    if (valuationMs !== false) {
      this.timers.push(setInterval(() => void this.valueAll(), valuationMs))
      // The first valuation right after start-up rather than in it: the host answers first.
      this.timers.push(setTimeout(() => void this.valueAll(), 0))
    }
  }

  close(): void {
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    this.stopBus?.()
    this.stopWatch?.()
    this.killSwitch.close()
    this.flushAudit()
  }

  // ------------------------------------------------------------ the gate

  checkOrder(o: GatedOrder): void {
    const now = this.clock.now()
    const book = this.bookOf(o.accountId)
    const exemptKey = `${o.accountId}\n${o.symbol}`
    let refusal: Refusal | null
    if (this.exemptions.has(exemptKey) && reducesPosition(o, book.position(o.symbol))) {
      // The kill switch's own close of this position: passes once, as the trader confirmed it.
      this.exemptions.delete(exemptKey)
      refusal = null
    } else {
      refusal = checkOrder(o, this.limitsOf(o.accountId), this.effectiveState(o.accountId, now), book, now)
    }
    if (refusal) {
      this.queue.push({
        at: now,
        accountId: o.accountId,
        action: 'order',
        decision: 'rejected',
        rule: refusal.rule,
        limit: refusal.limit,
        value: refusal.value,
        message: refusal.message,
        request: orderRequest(o),
      })
      if (refusal.rule !== 'halted' && refusal.rule !== 'reducing') {
        this.raiseRiskAlert(
          'risk_limit_hit',
          o.accountId,
          refusal.message,
          {
            limit: numberOf(refusal.limit),
            value: numberOf(refusal.value),
          },
          o.symbol,
        )
      }
      throw new AppError('risk_rejected', refusal.message)
    }
    book.recordAccepted(now)
    // Kept as it is and put in words when the queue is written, off the order path.
    this.queue.push({ at: now, order: o })
  }

  previewOrder(o: GatedOrder): void {
    const now = this.clock.now()
    const refusal = checkOrder(
      o,
      this.limitsOf(o.accountId),
      this.effectiveState(o.accountId, now),
      this.bookOf(o.accountId),
      now,
    )
    if (refusal) throw new AppError('risk_rejected', refusal.message)
  }

  /**
   * The ticket's risk preview of an order not sent (risk.previewOrder): the refusal `checkOrder`
   * would answer now and each limit's headroom, counting and recording nothing.
   */
  previewRisk(o: GatedOrder): {
    currency: string
    state: TradingState
    refusal: Refusal | null
    limits: LimitHeadroom[]
  } {
    const now = this.clock.now()
    const limits = this.limitsOf(o.accountId)
    const book = this.bookOf(o.accountId)
    const state = this.effectiveState(o.accountId, now)
    return {
      currency: limits.currency,
      state: state.state,
      refusal: checkOrder(o, limits, state, book, now),
      limits: limitHeadroom(o, limits, book, now),
    }
  }

  checkModify(accountId: string, clientOrderId: string): void {
    const now = this.clock.now()
    const state = this.effectiveState(accountId, now)
    const request = JSON.stringify({ clientOrderId })
    if (state.state === 'HALTED') {
      const message = `Trading is HALTED (${state.reason}): orders cannot be modified; cancels still pass`
      this.queue.push({
        at: now,
        accountId,
        action: 'modify',
        decision: 'rejected',
        rule: 'halted',
        limit: 'HALTED',
        value: clientOrderId,
        message,
        request,
      })
      throw new AppError('risk_rejected', message)
    }
    this.queue.push({
      at: now,
      accountId,
      action: 'modify',
      decision: 'accepted',
      rule: null,
      limit: null,
      value: null,
      message: `Accepted: modify ${clientOrderId}`,
      request,
    })
  }

  /** Lets the kill switch's close of one position pass once, whatever the state. */
  exemptClose(accountId: string, symbol: string): void {
    this.exemptions.add(`${accountId}\n${symbol}`)
  }

  revokeClose(accountId: string, symbol: string): void {
    this.exemptions.delete(`${accountId}\n${symbol}`)
  }

  // ------------------------------------------------------------ limits and states

  /** The limits that apply to an account, compiled once per change. */
  limitsOf(accountId: string): CompiledLimits {
    let c = this.compiled.get(accountId)
    if (!c) {
      c = compileLimits(mergeLimits(this.limits.get(GLOBAL) ?? {}, this.limits.get(accountId) ?? {}))
      this.compiled.set(accountId, c)
      const book = this.books.get(accountId)
      if (book && book.currency !== c.currency) {
        book.currency = c.currency
        book.reprice()
      }
    }
    return c
  }

  setLimits(scope: string, given: RiskLimits): RiskOverview {
    if (scope !== GLOBAL) this.assertAccount(scope)
    // Internal callers are held to the contract's rules too: a limit stored is one that reads back.
    const parsed = riskLimitsSchema.safeParse(given)
    if (!parsed.success) {
      const e = validationError(parsed.error, 'params.limits', given)
      throw new AppError('validation', e.message, e.path)
    }
    const limits = parsed.data
    const now = this.clock.now()
    saveLimits(this.db, scope, limits, now)
    this.limits = loadLimits(this.db)
    this.compiled.clear()
    this.queue.push({
      at: now,
      accountId: scope === GLOBAL ? null : scope,
      action: 'limits',
      decision: 'done',
      rule: null,
      limit: null,
      value: null,
      message: `Limits of ${scope === GLOBAL ? 'all accounts (global)' : this.nameOf(scope)} set`,
      request: JSON.stringify(limits),
    })
    this.flushAudit()
    return this.publish()
  }

  /** A scope's own state (ACTIVE where none was ever set, or where a rule's state has run out). */
  stateOf(scope: string, now = this.clock.now()): StateEntry {
    const s = this.states.get(scope)
    if (!s || (s.until !== null && now >= s.until)) {
      return {
        scope,
        state: 'ACTIVE',
        reason: 'no limit reached',
        setBy: 'rule',
        since: s?.until ?? 0,
        until: null,
      }
    }
    return s
  }

  /** What an account's orders meet: the stricter of the global state and its own. */
  effectiveState(accountId: string, now = this.clock.now()): StateEntry {
    const g = this.stateOf(GLOBAL, now)
    const a = this.stateOf(accountId, now)
    return SEVERITY[g.state] > SEVERITY[a.state] ? g : a
  }

  setState(
    scope: string,
    state: TradingState,
    reason: string,
    setBy: StateEntry['setBy'] = 'trader',
    until: number | null = null,
  ): RiskOverview {
    if (scope !== GLOBAL) this.assertAccount(scope)
    const now = this.clock.now()
    const entry: StateEntry = { scope, state, reason, setBy, since: now, until }
    saveState(this.db, entry)
    this.states.set(scope, entry)
    const who = scope === GLOBAL ? 'all accounts' : this.nameOf(scope)
    this.queue.push({
      at: now,
      accountId: scope === GLOBAL ? null : scope,
      action: 'state',
      decision: 'done',
      rule: setBy === 'rule' ? 'daily_loss' : null,
      limit: null,
      value: state,
      message: `${who}: ${state} (${reason}), set by ${setBy.replace('_', ' ')}`,
      request: JSON.stringify({ scope, state, reason }),
    })
    this.flushAudit()
    if (state === 'HALTED') {
      this.raiseRiskAlert(
        'trading_halted',
        scope === GLOBAL ? null : scope,
        `${who}: trading HALTED (${reason})`,
      )
    }
    return this.publish()
  }

  private assertAccount(id: string): void {
    this.refreshAccounts()
    if (!this.names.has(id)) throw new AppError('not_found', `No account ${id}`, 'params.scope')
  }

  private nameOf(id: string): string {
    return this.names.get(id) ?? id
  }

  private refreshAccounts(): void {
    this.names.clear()
    for (const a of this.trading.accounts()) if (a.mode !== 'imported') this.names.set(a.id, a.name)
  }

  // ------------------------------------------------------------ books

  private bookOf(accountId: string): AccountBook {
    let b = this.books.get(accountId)
    if (!b) {
      b = new AccountBook(this.limitsOf(accountId).currency)
      for (const r of orderRefsWithStatus(this.db, accountId, ACTIVE)) b.open.add(r.client_order_id)
      this.books.set(accountId, b)
    }
    return b
  }

  private onTrading(c: TradingChange): void {
    if (c.type === 'order') this.onOrder(c.order)
    else if (c.type === 'fill') {
      const f = c.fill
      const book = this.bookOf(f.accountId)
      const p = book.positions.get(f.symbol) ?? {
        amount: Decimal.ZERO,
        mark: null,
        quote: symbolQuote(f.symbol),
      }
      const amount = Decimal.parse(f.amount)
      p.amount = f.side === 'buy' ? p.amount.plus(amount) : p.amount.minus(amount)
      p.mark = Decimal.parse(f.price)
      book.positions.set(f.symbol, p)
      book.reprice()
    } else if (c.type === 'accountRemoved') {
      this.books.delete(c.accountId)
      this.compiled.delete(c.accountId)
    }
  }

  private onOrder(o: Order): void {
    const book = this.bookOf(o.accountId)
    if ((ACTIVE as readonly string[]).includes(o.status)) book.open.add(o.clientOrderId)
    else book.open.delete(o.clientOrderId)
  }

  /**
   * Values every account: positions (marks, realised P&L), balances (equity), today's P&L
   * against the trading day's start, the peak equity; then applies the daily loss rule. Runs
   * every 2 s, one pass at a time.
   */
  async valueAll(): Promise<void> {
    if (this.valuing || this.closed) return
    this.valuing = true
    try {
      this.refreshAccounts()
      let changed = false
      for (const id of this.names.keys()) {
        try {
          changed = (await this.value(id)) || changed
        } catch (err) {
          this.log?.warn(`valuing ${id} for the risk rules`, err)
        }
      }
      if (changed && !this.closed) this.publish()
    } finally {
      this.valuing = false
    }
  }

  /** Values one account; answers whether a figure the overview shows changed. */
  private async value(accountId: string): Promise<boolean> {
    const limits = this.limitsOf(accountId)
    const book = this.bookOf(accountId)
    const positions = await this.trading.positions(accountId, true)
    const { balances } = await this.trading.balances(accountId)
    if (this.closed) return false
    const now = this.clock.now()
    const currency = limits.currency
    let realized = Decimal.ZERO
    let unrealized = Decimal.ZERO
    book.positions.clear()
    for (const p of positions) {
      const mark = p.mark === null ? null : Decimal.parse(p.mark)
      book.positions.set(p.symbol, { amount: Decimal.parse(p.amount), mark, quote: p.quote })
      if (p.quote !== currency) continue
      realized = realized.plus(Decimal.parse(p.realizedPnl))
      if (p.unrealizedPnl !== null) unrealized = unrealized.plus(Decimal.parse(p.unrealizedPnl))
    }
    book.reprice()
    // Equity: the balances valued in the currency at the marks of their markets quoted in it.
    let equity = Decimal.ZERO
    for (const b of balances) {
      const total = Decimal.parse(b.total)
      if (b.asset === currency) {
        equity = equity.plus(total)
        if (b.decimals !== null) book.places = b.decimals
      } else {
        const mark = book.positions.get(`${b.asset}/${currency}`)?.mark
        if (mark) equity = equity.plus(total.times(mark))
      }
    }
    // The trading day: a new one takes today's bases (realised so far, unrealised now).
    const dayStart = tradingDayStart(now, limits.dailyResetHour, limits.dailyResetTimeZone)
    let day = this.days.get(accountId)
    if (!day || day.day_start !== dayStart) {
      day = {
        account_id: accountId,
        day_start: dayStart,
        unrealized_base: unrealized.toString(),
        realized_base: realized.toString(),
        peak_equity: day?.peak_equity ?? null,
      }
    }
    const peak = day.peak_equity === null ? equity : Decimal.max(Decimal.parse(day.peak_equity), equity)
    if (day.peak_equity === null || !peak.eq(Decimal.parse(day.peak_equity)))
      day = { ...day, peak_equity: peak.toString() }
    if (this.days.get(accountId) !== day) {
      saveDay(this.db, day)
      this.days.set(accountId, day)
    }
    const dayPnl = realized
      .minus(Decimal.parse(day.realized_base ?? '0'))
      .plus(unrealized.minus(Decimal.parse(day.unrealized_base ?? '0')))
    const changed =
      book.dayPnl === null || !book.dayPnl.eq(dayPnl) || book.equity === null || !book.equity.eq(equity)
    book.dayPnl = dayPnl
    book.equity = equity
    book.peakEquity = peak
    this.applyDailyLossRule(accountId, limits, book, now)
    return changed
  }

  /** Daily loss reached: the account goes HALTED (or REDUCING, by choice) until the next reset. */
  private applyDailyLossRule(
    accountId: string,
    limits: CompiledLimits,
    book: AccountBook,
    now: number,
  ): void {
    if (!limits.dailyLossLimit || book.dayPnl === null) return
    const loss = book.dayPnl.neg()
    if (loss.lt(limits.dailyLossLimit)) return
    const target: TradingState = limits.dailyLossAction === 'halt' ? 'HALTED' : 'REDUCING'
    const current = this.stateOf(accountId, now)
    if (SEVERITY[current.state] >= SEVERITY[target]) return
    const until = nextTradingDayStart(now, limits.dailyResetHour, limits.dailyResetTimeZone)
    const reason = `Daily loss limit ${book.money(limits.dailyLossLimit)} reached: today's loss ${book.money(loss)}`
    this.setState(accountId, target, reason, 'rule', until)
  }

  // ------------------------------------------------------------ overview, audit, stream

  /** The global state and each account's own, without valuing any book (the Health view reads it often). */
  tradingStates(): {
    global: StateEntry
    accounts: { accountId: string; accountName: string; state: StateEntry }[]
  } {
    this.refreshAccounts()
    const now = this.clock.now()
    return {
      global: this.stateOf(GLOBAL, now),
      accounts: [...this.names].map(([accountId, accountName]) => ({
        accountId,
        accountName,
        state: this.stateOf(accountId, now),
      })),
    }
  }

  overview(): RiskOverview {
    this.refreshAccounts()
    const now = this.clock.now()
    const accounts: AccountRisk[] = []
    for (const [id, name] of this.names) {
      const limits = this.limitsOf(id)
      const book = this.bookOf(id)
      accounts.push({
        accountId: id,
        accountName: name,
        state: this.stateOf(id, now),
        effective: this.effectiveState(id, now),
        limits: this.limits.get(id) ?? {},
        effectiveLimits: limits.source,
        currency: limits.currency,
        dayPnl: book.dayPnl?.toString() ?? null,
        equity: book.equity?.toString() ?? null,
        peakEquity: book.peakEquity?.toString() ?? null,
        exposure: book.exposure.toString(),
        openOrders: book.open.size,
        dayStart: tradingDayStart(now, limits.dailyResetHour, limits.dailyResetTimeZone),
      })
    }
    return {
      global: this.stateOf(GLOBAL, now),
      globalLimits: this.limits.get(GLOBAL) ?? {},
      defaults: RISK_DEFAULTS,
      accounts,
    }
  }

  audit(q: {
    accountId?: string | undefined
    decision?: string | undefined
    beforeId?: number | undefined
    limit: number
  }): AuditEntry[] {
    this.flushAudit()
    return listAudit(this.db, q)
  }

  /** Records a kill switch run (kill-switch.ts). */
  recordKillSwitch(message: string, request: object): void {
    this.queue.push({
      at: this.clock.now(),
      accountId: null,
      action: 'kill_switch',
      decision: 'done',
      rule: null,
      limit: null,
      value: null,
      message,
      request: JSON.stringify(request),
    })
    this.flushAudit()
  }

  flushAudit(): void {
    if (this.queue.length === 0) return
    const batch = this.queue.map((e) => ('order' in e ? acceptedEntry(e) : e))
    this.queue = []
    try {
      insertAudit(this.db, batch)
    } catch (err) {
      this.log?.error('writing the risk audit log', err)
    }
  }

  subscribe(listener: (u: RiskUpdate) => void): () => void {
    this.listeners.add(listener)
    listener({ type: 'overview', overview: this.overview() })
    return () => this.listeners.delete(listener)
  }

  /** Follows the kill switch's reports only. */
  subscribeKill(listener: (r: KillSwitchReport) => void): () => void {
    const l = (u: RiskUpdate) => {
      if (u.type === 'killSwitch') listener(u.report)
    }
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  emit(u: RiskUpdate): void {
    for (const l of this.listeners) {
      try {
        l(u)
      } catch (err) {
        this.log?.warn('risk update listener', err)
      }
    }
  }

  private publish(): RiskOverview {
    const overview = this.overview()
    this.emit({ type: 'overview', overview })
    return overview
  }

  /**
   * The one place risk alert events leave (issue 15: "risk limit hit", "trading halted"): to the
   * alerts domain's port when the engine passes one.
   */
  private raiseRiskAlert(
    kind: 'risk_limit_hit' | 'trading_halted',
    accountId: string | null,
    message: string,
    values: Record<string, number | null> = {},
    symbol?: string,
  ): void {
    try {
      this.alerts?.raise({
        kind,
        ...(accountId !== null ? { subject: accountId } : {}),
        message,
        values,
        ...(symbol !== undefined ? { symbol } : {}),
      })
    } catch (err) {
      this.log?.warn('raising a risk alert event', err)
    }
  }

  /** Every account's orders the kill switch cancels: active ones and waiting bracket legs. */
  cancellableOrders(accountId: string): { clientOrderId: string; symbol: string }[] {
    const rows = [...orderRefsWithStatus(this.db, accountId, ACTIVE), ...waitingLegs(this.db, accountId)]
    return rows.map((r) => ({ clientOrderId: r.client_order_id, symbol: r.symbol }))
  }

  accountIds(): string[] {
    this.refreshAccounts()
    return [...this.names.keys()]
  }
}

/** An accepted order waiting in the audit queue. */
interface AcceptedOrder {
  at: number
  order: GatedOrder
}

function orderRequest(o: GatedOrder): string {
  return JSON.stringify({
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount.toString(),
    price: o.referencePrice.toString(),
    notional: o.notional.toString(),
  })
}

function acceptedEntry({ at, order: o }: AcceptedOrder): NewAuditEntry {
  return {
    at,
    accountId: o.accountId,
    action: 'order',
    decision: 'accepted',
    rule: null,
    limit: null,
    value: null,
    message: `Accepted: ${o.side} ${o.amount.toString()} ${o.symbol}`,
    request: orderRequest(o),
  }
}

/** A rule's limit or value as the alert's number (null where it is not one, e.g. a state). */
function numberOf(text: string): number | null {
  const n = Number(text)
  return text !== '' && Number.isFinite(n) ? n : null
}
