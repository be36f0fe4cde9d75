/**
 * The strategy runner (docs/BACKTEST.md "Running strategies on accounts"): each run follows the closed bars of
 * its series, decides on each with the backtester's code (decide.ts), writes the decision's
 * intents and the bar it decided on in one transaction (store.ts), then sends each intent
 * through trading's order path under a client order id derived from its idempotency key
 * (run, bar time, position in the decision), so the risk engine checks every order and a
 * restart resends an unconfirmed intent under the same id: the order path answers the order it
 * already made, never a second one.
 */
import { randomBytes } from 'node:crypto'
import { basename, extname } from 'node:path'
import { ZodError } from 'zod'
import { AppError } from '../../shared/contract/errors'
import type { RunSchedule, RunStart, StrategyRun } from '../../shared/contract/runner'
import type { Candle } from '../../shared/domain/candles'
import { maxBarsIn, nextBucket, type Timeframe } from '../../shared/domain/timeframes'
import type { Fill, Order, OrderRequest, Position } from '../../shared/domain/trading'
import type { OrderIntent, StrategyDefinition, StrategyInstance } from '../backtest/strategy'
import { getStrategy, STRATEGIES } from '../backtest/strategies'
import { strategyFiles } from '../backtest/user/run'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import { candleSeries } from '../indicators'
import type { ClosedTrade } from '../risk/protections'
import type { Db } from '../storage/database'
import { Decimal } from '../trading/decimal'
import { splitSymbol } from '../trading/positions'
import { decideOnLastBar, type RunAccount } from './decide'
import { driftReport, type DriftReport } from './drift'
import { runBook, type RunBook } from './ledger'
import { planIntents } from './orders'
import { protectionLock } from './protect'
import * as store from './store'
import type { IntentRow, RunRow } from './store'
import { UserDecider, type UserDeciderOptions } from './user-decider'

/** What the runner uses of trading: its own methods, so every order takes the normal path. */
export interface RunnerTrading {
  accounts(): readonly { id: string; name: string; mode: string; liveEnabled: boolean }[]
  placeOrder(req: OrderRequest): Promise<Order>
  fills(accountId: string, opts: { symbol?: string; limit: number }): Fill[]
  positions(accountId: string): Promise<Position[]>
  /** The market's lot step (amounts are multiples of it; less is dust); null when unknown. */
  lotStep(accountId: string, symbol: string): Decimal | null
}

/** Closed bars for the warm-up (the chart's bar source). */
export interface RunnerBars {
  closedBars(source: string, symbol: string, tf: Timeframe, limit: number, now: number): Candle[]
}

/** The live candle feed the chart and alerts use (market/candle-updates.ts). */
export interface RunnerFeed {
  watch(
    source: string,
    symbol: string,
    tf: Timeframe,
    sink: { emit(e: { candle: Candle; closed: boolean }): void; end(error: AppError): void },
  ): () => void
}

export interface RunnerOptions {
  db: Db
  clock: Clock
  log: Logger
  trading: RunnerTrading
  bars: RunnerBars
  feed: RunnerFeed
  /** Bars loaded before the first decision, for the indicators' warm-up. */
  warmupBars?: number
  /** Where strategies are found by id (the built-ins by default). */
  strategies?: (id: string) => StrategyDefinition
  /**
   * The data folder's `strategies/`: a strategy id no built-in has is the file of that name
   * there (as backtest.strategies lists them), run in its own thread (user-decider.ts).
   */
  strategiesDir?: string | undefined
  userDecider?: UserDeciderOptions
}

/** Bars kept per run: warm-up plus what arrives, trimmed back to twice the warm-up. */
const DEFAULT_WARMUP = 1_000
const FILL_LIMIT = 100_000

interface Active {
  run: RunRow
  /** A built-in's instance, or a user file's thread (null after it failed: reopened on resume). */
  instance: StrategyInstance | null
  user: { file: string; decider: UserDecider | null } | null
  candles: Candle[]
  unwatch: () => void
  queue: Promise<void>
}

const PAUSED_BY_TRADER = 'paused by the trader'
const PAUSED_BY_SCHEDULE = 'paused by the schedule (Stop strategies)'

export const intentOrderId = (runId: string, barTime: number, seq: number): string =>
  `sr-${runId}-${barTime.toString(36)}-${seq}`

const EXIT_REASONS = new Set<ClosedTrade['exitReason']>(['stop_loss', 'take_profit', 'signal', 'manual'])

export class RunnerService {
  private readonly active = new Map<string, Active>()
  private closed = false
  private readonly warmup: number

  constructor(private readonly o: RunnerOptions) {
    this.warmup = o.warmupBars ?? DEFAULT_WARMUP
  }

  /** Resumes every run not stopped: unconfirmed intents are resent first, then bars are followed. */
  async start(): Promise<void> {
    for (const run of store.listRuns(this.o.db)) {
      if (run.state === 'stopped') continue
      try {
        await this.activate(run)
      } catch (err) {
        this.o.log.error(`strategy run ${run.id} did not resume`, err)
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true
    const queues = [...this.active.values()].map((a) => {
      a.unwatch()
      a.user?.decider?.close()
      return a.queue
    })
    this.active.clear()
    await Promise.allSettled(queues)
  }

  async startRun(p: RunStart): Promise<StrategyRun> {
    const account = this.o.trading.accounts().find((a) => a.id === p.accountId)
    if (!account) throw new AppError('not_found', `No account ${p.accountId}`, 'params.accountId')
    const armed = armLive(account, p.liveConfirm)
    const file = this.userFile(p.strategyId)
    let params: Record<string, unknown>
    let decider: UserDecider | null = null
    let hasExits: boolean
    if (file !== null) {
      // The file's own schema checks the parameters, in its thread; its errors name file and line.
      decider = await UserDecider.open(file, p.params, this.o.userDecider)
      params = decider.params
      hasExits = decider.hasExits
    } else {
      const def = this.strategy(p.strategyId)
      try {
        params = def.params.parse(p.params) as Record<string, unknown>
      } catch (err) {
        if (err instanceof ZodError) {
          const issue = err.issues[0]!
          const field = ['params', 'params', ...issue.path.map(String)].join('.')
          throw new AppError('validation', `${field}: ${issue.message}`, field)
        }
        throw err
      }
      const { stopLoss, takeProfit, trailing } = def.create(params).exits
      hasExits = Boolean(stopLoss || takeProfit || trailing)
    }
    if (hasExits) {
      decider?.close()
      throw new AppError(
        'validation',
        'params.params: stop-loss, take-profit and trailing exits are not run live yet; start without them',
        'params.params',
      )
    }
    const now = this.o.clock.now()
    const id = randomBytes(5).toString('hex')
    store.insertRun(this.o.db, id, { ...p, params }, now, armed ? now : null)
    await this.activate(store.getRun(this.o.db, id)!, decider)
    return this.view(id)
  }

  /** The user strategy file a strategy id names (no built-in has it), or null. */
  private userFile(id: string): string | null {
    const dir = this.o.strategiesDir
    if (dir === undefined || STRATEGIES.some((s) => s.id === id)) return null
    return strategyFiles(dir).find((f) => basename(f, extname(f)) === id) ?? null
  }

  pause(runId: string): StrategyRun {
    const run = this.run(runId)
    if (run.state === 'stopped') throw new AppError('conflict', `Run ${runId} is stopped`, 'params.runId')
    store.setRunState(this.o.db, runId, 'paused', PAUSED_BY_TRADER, null, this.o.clock.now())
    this.refresh(runId)
    return this.view(runId)
  }

  resume(runId: string): StrategyRun {
    const run = this.run(runId)
    if (run.state === 'stopped') throw new AppError('conflict', `Run ${runId} is stopped`, 'params.runId')
    store.setRunState(this.o.db, runId, 'running', null, null, this.o.clock.now())
    this.refresh(runId)
    return this.view(runId)
  }

  async stop(runId: string, closePositions: boolean): Promise<StrategyRun> {
    const run = this.run(runId)
    const a = this.active.get(runId)
    if (a) {
      a.unwatch()
      this.active.delete(runId)
      await a.queue
      a.user?.decider?.close()
    }
    const now = this.o.clock.now()
    store.setRunState(
      this.o.db,
      runId,
      'stopped',
      closePositions ? 'stopped; position closed' : 'stopped; position left',
      null,
      now,
    )
    if (closePositions) await this.closeOwn(run, now)
    return this.view(runId)
  }

  /** Puts the run under the scheduler's start and stop tasks (schedule-kinds.ts). */
  setSchedule(runId: string, schedule: RunSchedule): StrategyRun {
    const run = this.run(runId)
    if (run.state === 'stopped') throw new AppError('conflict', `Run ${runId} is stopped`, 'params.runId')
    store.setSchedule(this.o.db, runId, schedule, this.o.clock.now())
    this.refresh(runId)
    return this.view(runId)
  }

  /**
   * The Start strategies task: resumes every paused run marked `start` (a protection's pause,
   * which ends by itself, and a run paused for an error of its own are left alone: the first
   * waits out its lock, the second for the trader). Answers the runs resumed.
   */
  scheduledStart(): string[] {
    const resumed: string[] = []
    for (const run of store.listRuns(this.o.db)) {
      if (!run.schedule.start || run.state !== 'paused' || run.lockedUntil !== null) continue
      if (run.reason !== PAUSED_BY_TRADER && run.reason !== PAUSED_BY_SCHEDULE) continue
      this.resume(run.id)
      resumed.push(run.id)
    }
    return resumed
  }

  /** The Stop strategies task: pauses every running run marked `stop`, closing its own position where asked. */
  async scheduledStop(): Promise<string[]> {
    const paused: string[] = []
    for (const run of store.listRuns(this.o.db)) {
      if (run.schedule.stop === 'no' || run.state !== 'running') continue
      const now = this.o.clock.now()
      store.setRunState(this.o.db, run.id, 'paused', PAUSED_BY_SCHEDULE, null, now)
      this.refresh(run.id)
      const a = this.active.get(run.id)
      // A decision under way finishes first: the close comes after it, never beside it.
      if (a) await a.queue
      if (run.schedule.stop === 'pause_and_close') await this.closeOwn(this.run(run.id), now)
      paused.push(run.id)
    }
    return paused
  }

  /** Closes what the run's own fills hold at market (through the order path and the risk engine). */
  private async closeOwn(run: RunRow, now: number): Promise<void> {
    const runId = run.id
    const book = this.book(run)
    if (!book.position.isZero()) {
      const [close] = planIntents([{ type: 'close', reason: 'manual' }], {
        symbol: run.symbol,
        position: book.position,
        equity: Decimal.ZERO,
        close: NaN,
        step: this.o.trading.lotStep(run.accountId, run.symbol),
      })
      // Only dust (less than one lot step) has no order; the book counts it as flat already.
      if (close?.order) {
        const row: IntentRow = {
          runId,
          barTime: now,
          seq: 0,
          clientOrderId: intentOrderId(runId, now, 0),
          kind: 'close',
          reason: 'manual',
          request: JSON.stringify(close.order),
          status: 'pending',
          message: null,
        }
        // Keyed by the time of the stop, not the run's last bar (whose first place its own
        // decision may hold: recorded there, this close was silently dropped and never settled).
        store.recordOwnIntent(this.o.db, row, now)
        await this.send(run, row)
      }
    }
  }

  list(): StrategyRun[] {
    return store.listRuns(this.o.db).map((r) => this.toView(r))
  }

  view(runId: string): StrategyRun {
    return this.toView(this.run(runId))
  }

  /**
   * The drift report (drift.ts): the run's bars since its first live bar replayed through the
   * backtester beside its decisions and fills.
   */
  drift(runId: string): DriftReport & { runId: string } {
    const run = this.run(runId)
    const now = this.o.clock.now()
    if (run.firstLiveBar === null)
      throw new AppError('unavailable', `Run ${runId} has no bars yet`, 'params.runId')
    if (this.userFile(run.strategyId) !== null)
      throw new AppError(
        'unavailable',
        `The drift report of a run of a user strategy file (${run.strategyId}) is not available yet`,
        'params.runId',
      )
    const def = this.strategy(run.strategyId)
    const since = Math.max(0, maxBarsIn(now - run.firstLiveBar, run.timeframe))
    const candles = this.o.bars.closedBars(
      run.source,
      run.symbol,
      run.timeframe,
      this.warmup + since + 1,
      now,
    )
    const prefix = `sr-${run.id}-`
    const report = driftReport({
      instance: def.create(def.params.parse(run.params)),
      symbol: run.symbol,
      series: candleSeries(candles),
      firstLiveBar: run.firstLiveBar,
      lastBarTime: run.lastBarTime,
      allocation: Number(run.allocation),
      intents: store.intentsOf(this.o.db, run.id),
      fills: this.o.trading
        .fills(run.accountId, { symbol: run.symbol, limit: FILL_LIMIT })
        .filter((f) => f.clientOrderId?.startsWith(prefix)),
      book: this.book(run),
    })
    return { runId, ...report }
  }

  /** Waits until every bar received so far has been decided and its orders answered (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.queue))
  }

  // ------------------------------------------------------------------ internals

  private strategy(id: string): StrategyDefinition {
    return (this.o.strategies ?? getStrategy)(id)
  }

  private run(runId: string): RunRow {
    const run = store.getRun(this.o.db, runId)
    if (!run) throw new AppError('not_found', `No strategy run ${runId}`, 'params.runId')
    return run
  }

  private refresh(runId: string): void {
    const a = this.active.get(runId)
    if (a) a.run = this.run(runId)
  }

  private async activate(run: RunRow, opened: UserDecider | null = null): Promise<void> {
    const file = this.userFile(run.strategyId)
    let instance: StrategyInstance | null = null
    if (file === null) {
      const def = this.strategy(run.strategyId)
      instance = def.create(def.params.parse(run.params))
    }
    // Reconcile first: the run's own fills must still be on the account.
    this.reconcile(run, await this.o.trading.positions(run.accountId))
    for (const intent of store.pendingIntents(this.o.db, run.id)) await this.send(run, intent)
    const now = this.o.clock.now()
    const candles = this.o.bars.closedBars(run.source, run.symbol, run.timeframe, this.warmup, now)
    if (run.lastBarTime === null && candles.length > 0) {
      // A new run decides from the next bar on, never on history.
      const last = candles[candles.length - 1]!.time
      store.setFirstLiveBar(this.o.db, run.id, nextBucket(last, run.timeframe), last, now)
    }
    const a: Active = {
      run: this.run(run.id),
      instance,
      // A resumed run's file is loaded at its first bar (a failure there pauses it, naming why).
      user: file === null ? null : { file, decider: opened },
      candles,
      unwatch: () => {},
      queue: Promise.resolve(),
    }
    this.active.set(run.id, a)
    a.unwatch = this.o.feed.watch(run.source, run.symbol, run.timeframe, {
      emit: (e) => {
        if (!e.closed || this.closed) return
        a.queue = a.queue
          .then(() => this.onClosedBar(a, e.candle))
          .catch((err: unknown) => {
            this.o.log.error(`strategy run ${run.id} on bar ${e.candle.time}`, err)
          })
      },
      end: (err) => {
        store.setRunState(this.o.db, run.id, 'paused', `feed ended: ${err.message}`, null, this.o.clock.now())
        this.refresh(run.id)
      },
    })
  }

  /** Pauses a run whose own long (or short) is more than the account now holds (sold by hand...). */
  private reconcile(run: RunRow, positions: readonly Position[]): void {
    const own = this.book(run).position
    if (own.isZero()) return
    const held = positions.find((p) => p.symbol === run.symbol)
    const amount = held ? Decimal.parse(held.amount) : Decimal.ZERO
    const short = own.isPositive() ? amount.lt(own) : amount.gt(own)
    if (!short) return
    store.setRunState(
      this.o.db,
      run.id,
      'paused',
      `Reconcile: the run's fills hold ${own.toString()} ${run.symbol} but the account holds ${amount.toString()}`,
      null,
      this.o.clock.now(),
    )
  }

  /** Handles one closed bar: once per bar time, whatever happens in between (restart, repeats). */
  async onClosedBar(a: Active, candle: Candle): Promise<void> {
    const last = a.candles[a.candles.length - 1]
    if (!last || candle.time > last.time) {
      a.candles.push(candle)
      if (a.candles.length > this.warmup * 2) a.candles.splice(0, a.candles.length - this.warmup)
    }
    const run = (a.run = this.run(a.run.id))
    if (run.lastBarTime !== null && candle.time <= run.lastBarTime) return
    const now = this.o.clock.now()
    if (run.state === 'stopped') return
    let entriesLocked = false
    if (run.state === 'paused') {
      if (run.lockedUntil === null || now < run.lockedUntil) {
        // A protection's pause still lets the strategy close; a trader's pause decides nothing.
        if (run.lockedUntil === null) {
          store.setLastBar(this.o.db, run.id, candle.time, now)
          return
        }
        entriesLocked = true
      } else store.setRunState(this.o.db, run.id, 'running', null, null, now)
    }
    const book = this.book(run)
    const lock = protectionLock(run, book.trades, now)
    if (lock) {
      store.setRunState(this.o.db, run.id, 'paused', lock.reason, lock.until, now)
      entriesLocked = true
    }
    const allocation = Decimal.parse(run.allocation)
    const close = Decimal.fromNumber(candle.close)
    const unrealized = book.position.isZero() ? Decimal.ZERO : close.minus(book.entry).times(book.position)
    const equity = allocation.plus(book.realized).plus(unrealized)
    const account: RunAccount = {
      position: book.position.toNumber(),
      entryPrice: book.position.isZero() ? NaN : book.entry.toNumber(),
      equity: equity.toNumber(),
      cash: allocation.plus(book.realized).minus(book.position.times(book.entry)).toNumber(),
    }
    let orders: readonly OrderIntent[]
    try {
      orders = await this.decide(a, run, account)
    } catch (err) {
      if (!(err instanceof AppError) || a.user === null || this.closed) throw err
      // The file's error (with its file and line) pauses the run on this bar; resume reloads it.
      store.setRunState(this.o.db, run.id, 'paused', err.message, null, now)
      store.setLastBar(this.o.db, run.id, candle.time, now)
      this.refresh(run.id)
      return
    }
    const planned = planIntents(orders, {
      symbol: run.symbol,
      position: book.position,
      equity,
      close: candle.close,
      step: this.o.trading.lotStep(run.accountId, run.symbol),
    })
    const rows: IntentRow[] = planned.map((p, seq) => {
      const entry = p.order !== null && p.kind !== 'close' && p.reason === null
      const locked = entry && entriesLocked
      return {
        runId: run.id,
        barTime: candle.time,
        seq,
        clientOrderId: intentOrderId(run.id, candle.time, seq),
        kind: p.kind,
        reason: p.reason,
        request: p.order && !locked ? JSON.stringify(p.order) : null,
        status: p.order && !locked ? 'pending' : 'skipped',
        message: locked ? `entry locked: ${lock?.reason ?? run.reason ?? 'paused'}` : p.skipped,
      }
    })
    store.recordDecision(this.o.db, run.id, candle.time, rows, now)
    for (const row of rows) if (row.status === 'pending') await this.send(run, row)
  }

  /** The strategy's decision on the run's last bar: a built-in here, a user file in its thread. */
  private async decide(a: Active, run: RunRow, account: RunAccount): Promise<readonly OrderIntent[]> {
    const series = candleSeries(a.candles)
    if (a.instance) return decideOnLastBar(a.instance, run.symbol, series, account)
    const user = a.user!
    user.decider ??= await UserDecider.open(user.file, run.params, this.o.userDecider)
    const decider = user.decider
    try {
      return await decider.decide(run.symbol, series, account)
    } finally {
      // A failed decider is closed: the next decision (after a resume) opens a fresh one.
      if (user.decider === decider && decider.isClosed) user.decider = null
    }
  }

  /**
   * Sends one stored intent. A refusal (risk, validation, balance) is final and stored with its
   * message; anything else (the engine closing, a crash) leaves it pending for the next start.
   */
  private async send(run: RunRow, intent: IntentRow): Promise<void> {
    const order = JSON.parse(intent.request!) as Omit<OrderRequest, 'accountId' | 'clientOrderId'>
    try {
      const placed = await this.o.trading.placeOrder({
        ...order,
        accountId: run.accountId,
        clientOrderId: intent.clientOrderId,
        // An armed run's orders carry the live confirmation the trader gave at start; the order
        // path still checks the live switch and the risk engine each order.
        ...(run.liveArmedAt !== null ? { confirm: true } : {}),
      })
      store.settleIntent(this.o.db, intent.clientOrderId, 'sent', placed.status, this.o.clock.now())
    } catch (err) {
      if (!(err instanceof AppError) || this.closed) throw err
      const now = this.o.clock.now()
      store.settleIntent(this.o.db, intent.clientOrderId, 'rejected', err.message, now)
      // A live run whose account's live switch went off stops deciding until the trader resumes it.
      const account = this.o.trading.accounts().find((a) => a.id === run.accountId)
      if (account?.mode === 'live' && !account.liveEnabled && this.run(run.id).state === 'running') {
        store.setRunState(
          this.o.db,
          run.id,
          'paused',
          `live trading is switched off for "${account.name}": switch it on, then resume`,
          null,
          now,
        )
        this.refresh(run.id)
      }
    }
  }

  private book(run: RunRow): RunBook {
    const prefix = `sr-${run.id}-`
    const fills = this.o.trading
      .fills(run.accountId, { symbol: run.symbol, limit: FILL_LIMIT })
      .filter((f) => f.clientOrderId?.startsWith(prefix))
      // Oldest first: fills of one instant (a paper buy and its close) in the order they happened.
      .reverse()
    if (fills.length === 0)
      return { position: Decimal.ZERO, entry: Decimal.ZERO, realized: Decimal.ZERO, trades: [] }
    const reasons = new Map(store.intentsOf(this.o.db, run.id).map((i) => [i.clientOrderId, i.reason]))
    const step = this.o.trading.lotStep(run.accountId, run.symbol)
    return runBook(fills, splitSymbol(run.symbol), step, (id) => {
      const r = (id && reasons.get(id)) || 'other'
      return EXIT_REASONS.has(r as ClosedTrade['exitReason']) ? (r as ClosedTrade['exitReason']) : 'other'
    })
  }

  private toView(run: RunRow): StrategyRun {
    const book = this.book(run)
    const intents = store.intentsOf(this.o.db, run.id).filter((i) => i.status !== 'skipped')
    const rejected = intents.filter((i) => i.status === 'rejected')
    return {
      id: run.id,
      strategyId: run.strategyId,
      params: run.params,
      accountId: run.accountId,
      source: run.source,
      symbol: run.symbol,
      timeframe: run.timeframe,
      allocation: run.allocation,
      protections: run.protections,
      state: run.state,
      reason: run.reason,
      lockedUntil: run.lockedUntil,
      liveArmedAt: run.liveArmedAt,
      schedule: run.schedule,
      lastBarTime: run.lastBarTime,
      position: book.position.toString(),
      realizedPnl: book.realized.toString(),
      intents: intents.length,
      rejected: rejected.length,
      lastError: rejected.length > 0 ? rejected[rejected.length - 1]!.message : null,
      startedAt: run.startedAt,
      updatedAt: run.updatedAt,
    }
  }
}

/**
 * The live-run policy (docs/BACKTEST.md "Live runs"): a run on a live account sends real orders,
 * so it starts only armed: the account's live switch on, and the account's name typed by the
 * trader as `liveConfirm`. Answers whether the run is armed (false for paper accounts); throws,
 * naming the field, where a live start is not allowed.
 */
export function armLive(
  account: { name: string; mode: string; liveEnabled: boolean },
  liveConfirm: string | undefined,
): boolean {
  if (account.mode === 'imported')
    throw new AppError(
      'invalid_order',
      `"${account.name}" is imported: it places no orders`,
      'params.accountId',
    )
  if (account.mode !== 'live') return false
  if (!account.liveEnabled) {
    throw new AppError(
      'invalid_order',
      `Live trading is switched off for "${account.name}"; switch it on in the account's settings before starting a run on it`,
      'params.accountId',
    )
  }
  if (liveConfirm?.trim() !== account.name) {
    throw new AppError(
      'validation',
      `params.liveConfirm: a run on the live account "${account.name}" sends real orders; type the account's name to arm it`,
      'params.liveConfirm',
    )
  }
  return true
}
