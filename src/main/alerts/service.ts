import { randomUUID } from 'node:crypto'
import { AppError } from '../../shared/contract/errors'
import {
  alertSpecSchema,
  engineEventSchema,
  type Alert,
  type AlertPreview,
  type AlertSpec,
  type AlertsUpdate,
  type EngineEventIn,
  type Firing,
  type FiringKind,
} from '../../shared/contract/alerts'
import { validationError } from '../../shared/contract/errors'
import type { Candle } from '../../shared/domain/candles'
import { barsBack, bucketStart, maxBarsIn, nextBucket, timeframeMs } from '../../shared/domain/timeframes'
import type { SignalsUpdate } from '../../shared/contract/signals'
import type { Order } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import type { SecretStore } from '../secrets/store'
import type { Db } from '../storage/db'
import { deleteChannels, loadChannelSecret, storeChannels } from './channels'
import { compileCondition, type Evaluator } from './conditions'
import {
  DEFAULT_DELIVERY_POLICY,
  DEFAULT_ENDPOINTS,
  DEFAULT_TEMPLATE,
  deliver,
  outgoing,
  renderTemplate,
  type DeliveryEndpoints,
  type DeliveryPolicy,
  type MessageFields,
} from './delivery'
import { formatMessagePrice, readableTime } from './message-format'
import type {
  AlertNotifier,
  BreakerHealth,
  CandleUpdates,
  ClosedBars,
  OrderUpdates,
  PricePrecision,
  SignalScores,
} from './ports'
import { AlertRunner, FRESH_STATE, type RunnerState, type Trigger } from './runner'
import { checkSpec, describe, isMarket, toAlert, type StoredSpec } from './spec'
import * as store from './store'

export interface AlertServiceDeps {
  db: Db
  clock: Clock
  log: Logger
  secrets: SecretStore
  bars: ClosedBars
  live?: CandleUpdates
  orders?: OrderUpdates
  exchanges?: BreakerHealth
  signals?: SignalScores
  notifier?: AlertNotifier
  /** Price decimals for message text; without it, two decimals (four significant digits below 1). */
  precision?: PricePrecision
  policy?: DeliveryPolicy
  endpoints?: DeliveryEndpoints
}

/** Firings a preview lists at most (the newest), for the chart's markers. */
const MAX_PREVIEW_FIRINGS = 1_000

/** Bars replayed on start at most, per alert, for "while you were away". */
export const MAX_AWAY_BARS = 10_000
const DAY = 86_400_000

interface Entry {
  row: store.AlertRow
  runner: AlertRunner | null
  stop: (() => void) | null
}

interface Watch {
  ids: Set<string>
  stop: () => void
}

const seriesKey = (s: { source: string; symbol: string; timeframe: string }): string =>
  `${s.source}\u0000${s.symbol}\u0000${s.timeframe}`

/**
 * The alerts engine: keeps every active alert armed on its live series (one feed per series,
 * however many alerts watch it), fires through the same runner live, on start ("while you were
 * away") and in the preview, stores each firing, then delivers it (the app's stream, the
 * desktop notifier, webhooks) without ever making evaluation wait for a delivery.
 */
export class AlertService {
  private readonly entries = new Map<string, Entry>()
  private readonly watches = new Map<string, Watch>()
  private readonly listeners = new Set<(u: AlertsUpdate) => void>()
  private readonly aborter = new AbortController()
  private readonly pending = new Set<Promise<unknown>>()
  private readonly unsubscribes: (() => void)[] = []
  private readonly seenOrders = new Set<string>()
  /** Exchanges whose last clock-skew measurement was outside the signing guard (raised once each time). */
  private readonly skewed = new Set<string>()
  private readonly precisions = new Map<string, number | null>()
  private timer: ReturnType<typeof setInterval> | undefined
  private closed = false

  constructor(private readonly deps: AlertServiceDeps) {}

  /** Loads the stored alerts, evaluates what closed while the app was away, and arms them live. */
  start(): void {
    const now = this.deps.clock.now()
    for (const row of store.listAlerts(this.deps.db)) {
      const entry: Entry = { row, runner: null, stop: null }
      this.entries.set(row.id, entry)
      try {
        this.arm(entry, now, true)
      } catch (err) {
        this.deps.log.warn('alert not armed', { alert: row.id, err })
      }
    }
    if (this.deps.orders)
      this.unsubscribes.push(this.deps.orders.subscribe(undefined, (u) => this.onTrading(u)))
    if (this.deps.exchanges) {
      this.unsubscribes.push(this.deps.exchanges.onHealth((ex, changed) => this.onHealth(ex, changed)))
    }
    // Expiry of alerts whose series has no new bars (a stored history) or that watch events.
    this.timer = setInterval(() => this.expireDue(), 30_000)
    this.timer.unref?.()
  }

  list(): Alert[] {
    return store.listAlerts(this.deps.db).map(toAlert)
  }

  async create(spec: AlertSpec): Promise<Alert> {
    const now = this.deps.clock.now()
    this.check(spec, now)
    const id = randomUUID()
    const deliveries = await storeChannels(this.deps.secrets, id, spec.deliveries, [])
    const row: store.AlertRow = {
      id,
      spec: this.stored(spec, deliveries),
      status: 'active',
      state: { ...FRESH_STATE },
      createdAt: now,
      updatedAt: now,
    }
    store.insertAlert(this.deps.db, row)
    const entry: Entry = { row, runner: null, stop: null }
    this.entries.set(id, entry)
    this.arm(entry, now, false)
    return this.changed(entry)
  }

  async update(id: string, spec: AlertSpec): Promise<Alert> {
    const entry = this.entry(id)
    const now = this.deps.clock.now()
    this.check(spec, now)
    const deliveries = await storeChannels(this.deps.secrets, id, spec.deliveries, entry.row.spec.deliveries)
    this.disarm(entry)
    entry.row = {
      ...entry.row,
      spec: this.stored(spec, deliveries),
      status: 'active',
      state: { ...FRESH_STATE },
      updatedAt: now,
    }
    store.replaceAlert(this.deps.db, entry.row)
    this.arm(entry, now, false)
    return this.changed(entry)
  }

  setActive(id: string, active: boolean): Alert {
    const entry = this.entry(id)
    const now = this.deps.clock.now()
    this.disarm(entry)
    if (active) {
      const exp = entry.row.spec.expiresAt
      if (exp !== null && exp <= now) {
        throw new AppError(
          'validation',
          'the alert expired: set a later expiry with alerts.update first',
          'params.active',
        )
      }
      entry.row = {
        ...entry.row,
        status: 'active',
        state: { ...entry.row.state, armed: true, side: null, checkedThrough: null },
      }
    } else entry.row = { ...entry.row, status: 'paused' }
    entry.row.updatedAt = now
    store.replaceAlert(this.deps.db, entry.row)
    if (active) this.arm(entry, now, false)
    return this.changed(entry)
  }

  async delete(id: string): Promise<boolean> {
    const entry = this.entries.get(id)
    if (!entry) return false
    this.disarm(entry)
    this.entries.delete(id)
    store.deleteAlert(this.deps.db, id)
    await deleteChannels(this.deps.secrets, id, entry.row.spec.deliveries.length)
    this.emit({ type: 'removed', id })
    return true
  }

  /**
   * How often `spec` would have fired over the last `days` days of closed bars, by the same runner
   * as live evaluation (warmed on the bars before, the expiry left out, a `once` alert counted
   * once per bar).
   */
  preview(spec: AlertSpec, days: number): AlertPreview {
    const now = this.deps.clock.now()
    const evaluator = this.check({ ...spec, expiresAt: null }, now)
    const s = spec.series
    if (spec.condition.type === 'signal_score')
      throw new AppError('internal', 'a signal-score alert is previewed by previewSignal')
    if (!evaluator || !s) {
      throw new AppError('validation', 'an event alert has no history to preview', 'params.alert.condition')
    }
    const start = now - days * DAY
    const limit = Math.min(600_000, evaluator.warmup + maxBarsIn(days * DAY, s.timeframe) + 2)
    const bars = this.deps.bars.closedBars(s.source, s.symbol, s.timeframe, limit, now)
    const runner = new AlertRunner({ ...spec, expiresAt: null }, evaluator, { ...FRESH_STATE }, true)
    const firings: AlertPreview['firings'] = []
    let fired = 0
    let evaluated = 0
    let from: number | null = null
    for (const bar of bars) {
      if (bar.time < start) {
        runner.warm(bar)
        continue
      }
      from ??= bar.time
      evaluated++
      const t = runner.onBar(bar, true, nextBucket(bar.time, s.timeframe))
      if (t) {
        fired++
        firings.push({ time: t.time, barTime: t.barTime, values: t.values })
      }
    }
    // The newest (the chart's markers are where the trader looks: the latest bars).
    if (firings.length > MAX_PREVIEW_FIRINGS) firings.splice(0, firings.length - MAX_PREVIEW_FIRINGS)
    return { bars: evaluated, from, to: evaluated > 0 ? bars[bars.length - 1]!.time : null, fired, firings }
  }

  history(q: store.HistoryQuery): Firing[] {
    return store.readHistory(this.deps.db, q)
  }

  markRead(ids: readonly number[] | 'all'): number {
    store.markRead(this.deps.db, ids)
    const unread = store.unreadCount(this.deps.db)
    this.emit({ type: 'read', unread })
    return unread
  }

  subscribe(listener: (u: AlertsUpdate) => void): () => void {
    this.listeners.add(listener)
    listener({ type: 'snapshot', unread: store.unreadCount(this.deps.db) })
    return () => this.listeners.delete(listener)
  }

  /**
   * A scheduled task's event (the scheduler's `JobEvents` port): fires each active `job` alert
   * that asks for it, delivered like any event alert.
   */
  jobEvent(e: { event: 'failed' | 'summary'; task: string; label: string; message: string }): void {
    if (this.closed) return
    const what = e.event === 'failed' ? `${e.label} failed: ${e.message}` : e.message
    for (const entry of this.entries.values()) {
      const c = entry.row.spec.condition
      if (entry.row.status !== 'active' || c.type !== 'job' || !c.events.includes(e.event)) continue
      if (c.task !== undefined && c.task !== e.task) continue
      this.fireEvent(entry, {}, what, '', 'job')
    }
  }

  /** The scheduler's `JobEvents.ensureJobAlert`: an alert on the task's `event`s, created if no active one covers it. */
  async ensureJobAlert(e: { event: 'failed' | 'summary'; task: string; name: string }): Promise<void> {
    for (const entry of this.entries.values()) {
      const c = entry.row.spec.condition
      if (entry.row.status !== 'active' || c.type !== 'job' || !c.events.includes(e.event)) continue
      if (c.task === undefined || c.task === e.task) return
    }
    await this.create(
      alertSpecSchema.parse({
        name: e.name,
        condition: { type: 'job', events: [e.event], task: e.task },
        frequency: 'every_time',
        minIntervalMs: 0,
      }),
    )
  }

  /**
   * The event port for other domains (docs/ARCHITECTURE.md "Alerts"): fires each active `event`
   * alert that asks for `input.kind` and, when the alert names a subject, is about it. The event is
   * checked by `engineEventSchema` (a bad one throws `validation` naming the field); firing stores
   * it and starts its deliveries in the background, so this returns at once and never throws for a
   * delivery. Answers how many alerts fired.
   */
  raise(input: EngineEventIn): number {
    const parsed = engineEventSchema.safeParse(input)
    if (!parsed.success) {
      const v = validationError(parsed.error, 'event', input)
      throw new AppError(v.kind, v.message, v.path)
    }
    if (this.closed) return 0
    const e = parsed.data
    let fired = 0
    for (const entry of this.entries.values()) {
      const c = entry.row.spec.condition
      if (entry.row.status !== 'active' || c.type !== 'event' || !c.events.includes(e.kind)) continue
      if (c.subject !== undefined && c.subject !== e.subject) continue
      if (this.fireEvent(entry, e.values, e.message, e.symbol ?? '', e.kind)) fired++
    }
    return fired
  }

  /** Deletes delivery logs and read firings older than `before` (the scheduler's housekeeping). */
  pruneHistory(before: number): { firings: number; deliveries: number } {
    return store.pruneHistory(this.deps.db, before)
  }

  /** Stops every feed and timer, abandons deliveries in flight (their attempts so far are stored). */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    for (const stop of this.unsubscribes.splice(0)) stop()
    for (const e of this.entries.values()) this.disarm(e)
    this.listeners.clear()
    this.aborter.abort(new AppError('unavailable', 'engine closing'))
    await Promise.allSettled([...this.pending])
  }

  /** Deliveries still running (tests wait for them). */
  settled(): Promise<unknown> {
    return Promise.allSettled([...this.pending])
  }

  // --- arming ---------------------------------------------------------------------------

  private check(spec: Pick<AlertSpec, 'series' | 'condition' | 'expiresAt'>, now: number): Evaluator | null {
    return checkSpec(spec, now, this.deps.bars, this.deps.signals !== undefined)
  }

  private stored(spec: AlertSpec, deliveries: StoredSpec['deliveries']): StoredSpec {
    const base = { ...spec, deliveries, name: spec.name ?? '' }
    return { ...base, name: spec.name ?? describe({ ...base, name: '' }) }
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id)
    if (!e) throw new AppError('not_found', `No alert ${id}`, 'params.id')
    return e
  }

  /**
   * Arms an active alert on its series: warms its runner on the closed bars before, replays those
   * that closed since it last looked (`away`, on start) and joins the series' live feed.
   */
  private arm(entry: Entry, now: number, away: boolean): void {
    const { row } = entry
    if (row.status !== 'active') return
    const spec = row.spec
    const s = spec.series
    if (!isMarket(spec.condition) || !s) return
    if (spec.condition.type === 'signal_score') return this.armSignal(entry, now, away)
    const evaluator = compileCondition(spec.condition, 'params.alert.condition', timeframeMs(s.timeframe))
    const runner = new AlertRunner(spec, evaluator, row.state)
    const since = row.state.checkedThrough
    const awayBars = away && since !== null ? Math.min(MAX_AWAY_BARS, maxBarsIn(now - since, s.timeframe)) : 0
    const bars = this.deps.bars.closedBars(
      s.source,
      s.symbol,
      s.timeframe,
      evaluator.warmup + awayBars + 2,
      now,
    )
    const found: { trigger: Trigger; bar: Candle }[] = []
    for (const bar of bars) {
      if (!away || since === null || bar.time <= since) runner.warm(bar)
      else {
        const t = runner.onBar(bar, true, Math.min(now, nextBucket(bar.time, s.timeframe)))
        if (t) found.push({ trigger: t, bar })
      }
    }
    entry.runner = runner
    for (const [i, f] of found.entries())
      this.fire(entry, f.trigger, f.bar.close, true, i === found.length - 1)
    this.persist([entry])
    if (runner.status !== 'active') return this.finish(entry, runner.status)
    if (this.deps.live?.follows(s.source, s.symbol)) this.join(entry)
  }

  private join(entry: Entry): void {
    const s = entry.row.spec.series!
    const key = seriesKey(s)
    let w = this.watches.get(key)
    if (!w) {
      const ids = new Set<string>()
      const stop = this.deps.live!.watch(s.source, s.symbol, s.timeframe, {
        emit: (e) => this.onCandle(ids, e.candle, e.closed),
        end: (err) =>
          this.deps.log.warn('alert feed ended', { series: `${s.symbol} ${s.timeframe}`, err: err.message }),
      })
      w = { ids, stop }
      this.watches.set(key, w)
    }
    w.ids.add(entry.row.id)
    entry.stop = () => {
      w.ids.delete(entry.row.id)
      if (w.ids.size === 0) {
        w.stop()
        this.watches.delete(key)
      }
    }
  }

  private disarm(entry: Entry): void {
    entry.stop?.()
    entry.stop = null
    entry.runner = null
  }

  /** One live update of a series: every alert on it is evaluated; a closed bar stores their state once. */
  private onCandle(ids: ReadonlySet<string>, candle: Candle, closed: boolean): void {
    const now = this.deps.clock.now()
    const done: Entry[] = []
    const touched: Entry[] = []
    for (const id of ids) {
      const entry = this.entries.get(id)
      const runner = entry?.runner
      if (!entry || !runner) continue
      let t: Trigger | null = null
      try {
        t = runner.onBar(candle, closed, now)
      } catch (err) {
        this.deps.log.error('alert evaluation failed', { alert: id, err })
      }
      if (t) {
        this.fire(entry, t, candle.close, false, true)
        touched.push(entry)
      } else if (closed) touched.push(entry)
      if (runner.status !== 'active') done.push(entry)
    }
    if (touched.length > 0) this.persist(touched)
    for (const e of done) this.finish(e, e.runner!.status as 'fired' | 'expired')
  }

  private persist(entries: readonly Entry[]): void {
    store.saveStates(
      this.deps.db,
      entries.map((e) => ({ id: e.row.id, status: e.row.status, state: e.runner?.state ?? e.row.state })),
    )
  }

  private finish(entry: Entry, status: 'fired' | 'expired' | 'active'): void {
    if (status === 'active') return
    this.disarm(entry)
    entry.row = { ...entry.row, status, updatedAt: this.deps.clock.now() }
    store.setStatus(this.deps.db, entry.row.id, status, entry.row.updatedAt)
    this.changed(entry)
  }

  private expireDue(): void {
    const now = this.deps.clock.now()
    for (const e of this.entries.values()) {
      const exp = e.row.spec.expiresAt
      if (e.row.status === 'active' && exp !== null && now >= exp) this.finish(e, 'expired')
    }
  }

  private changed(entry: Entry): Alert {
    const alert = toAlert(entry.row)
    this.emit({ type: 'changed', alert })
    return alert
  }

  private emit(u: AlertsUpdate): void {
    for (const l of [...this.listeners]) {
      try {
        l(u)
      } catch (err) {
        this.deps.log.error('alerts listener failed', err)
      }
    }
  }

  // --- events and the signal score --------------------------------------------------------

  /**
   * A signal-score alert's runner: the score is a series of its own, one "bar" per closed signal,
   * compared like a price level (the same for the live feed, the preview and the away replay).
   */
  private signalRunner(
    spec: AlertSpec | StoredSpec,
    state: RunnerState,
    countAll = false,
  ): { runner: AlertRunner; bar: (time: number, score: number) => Candle; threshold: number } {
    const c = spec.condition
    if (c.type !== 'signal_score') throw new AppError('internal', 'not a signal-score alert')
    const evaluator = compileCondition(
      {
        type: 'compare',
        left: { kind: 'price', field: 'close' },
        op: c.op,
        right: { kind: 'value', value: c.threshold },
      },
      'params.alert.condition',
      timeframeMs(spec.series!.timeframe),
    )
    const runner = new AlertRunner({ ...spec, evaluate: 'bar_close' }, evaluator, state, countAll)
    const bar = (time: number, score: number): Candle => ({
      time,
      open: score,
      high: score,
      low: score,
      close: score,
      volume: 0,
    })
    return { runner, bar, threshold: c.threshold }
  }

  /**
   * Arms a signal-score alert on the signals' feed. On start (`away`), the scores stored for the
   * bars that closed since it last looked are replayed first, as the candles are for other alerts.
   */
  private armSignal(entry: Entry, now: number, away: boolean): void {
    const spec = entry.row.spec
    const s = spec.series!
    const signals = this.deps.signals
    if (!signals) return
    const { runner, bar, threshold } = this.signalRunner(spec, entry.row.state)
    entry.runner = runner
    const values = (score: number) => ({ score, threshold })
    const handle = (e: SignalsUpdate): void => {
      const sig = e.signals.find((x) => x.timeframe === s.timeframe)
      if (!sig) return
      const seen = runner.state.checkedThrough
      if (e.kind === 'snapshot') {
        // The previous score the next one crosses from (also the bar this alert last checked,
        // after a restart), never one older than what was evaluated.
        if (seen === null || sig.time >= seen) runner.warm(bar(sig.time, sig.score))
        return
      }
      if (seen !== null && sig.time <= seen) return
      const t = runner.onBar(bar(sig.time, sig.score), true, this.deps.clock.now())
      if (t) this.fire(entry, { ...t, values: values(sig.score) }, Number.NaN, false, true)
      this.persist([entry])
      if (runner.status !== 'active') this.finish(entry, runner.status)
    }
    const since = runner.state.checkedThrough
    // On start, the scores stored since it last looked are replayed first; what the feed says
    // meanwhile waits, and is applied after (what the replay already saw is left out).
    let waiting: SignalsUpdate[] | null = away && since !== null ? [] : null
    const flush = (): void => {
      const queued = waiting ?? []
      waiting = null
      for (const e of queued) if (entry.runner === runner && runner.status === 'active') handle(e)
    }
    entry.stop = signals.subscribe(
      s.source,
      s.symbol,
      (e) => (waiting ? waiting.push(e) : handle(e)),
      (err) => this.deps.log.warn('alert signal feed failed', { alert: entry.row.id, err }),
    )
    if (since === null || !waiting) return
    const tf = s.timeframe
    const limit = Math.min(MAX_AWAY_BARS, maxBarsIn(now - since, tf)) + 1
    signals.history({ source: s.source, symbol: s.symbol, timeframe: tf, from: since, limit }).then(
      ({ signals: stored }) => {
        if (this.closed || entry.runner !== runner) return
        const found: { trigger: Trigger; score: number }[] = []
        for (const sig of stored) {
          if (sig.time <= since) runner.warm(bar(sig.time, sig.score))
          else {
            const t = runner.onBar(bar(sig.time, sig.score), true, Math.min(now, nextBucket(sig.time, tf)))
            if (t) found.push({ trigger: t, score: sig.score })
          }
        }
        for (const [i, f] of found.entries())
          this.fire(
            entry,
            { ...f.trigger, values: values(f.score) },
            Number.NaN,
            true,
            i === found.length - 1,
          )
        this.persist([entry])
        if (runner.status !== 'active') return this.finish(entry, runner.status)
        flush()
      },
      (err: unknown) => {
        this.deps.log.warn('alert signal history not read', { alert: entry.row.id, err })
        if (!this.closed && entry.runner === runner) flush()
      },
    )
  }

  /**
   * How often a signal-score alert would have fired over the last `days` days of stored scores
   * (the signals domain stores them as bars close, and for the bars it seeds from), by the same
   * runner as live evaluation.
   */
  async previewSignal(spec: AlertSpec, days: number): Promise<AlertPreview> {
    const now = this.deps.clock.now()
    this.check({ ...spec, expiresAt: null }, now)
    const s = spec.series!
    const start = now - days * DAY
    const { signals: stored } = await this.deps.signals!.history({
      source: s.source,
      symbol: s.symbol,
      timeframe: s.timeframe,
      // One bar before the window: the score the first one in it crosses from.
      from: barsBack(bucketStart(start, s.timeframe), 1, s.timeframe),
      limit: Math.min(MAX_AWAY_BARS, maxBarsIn(days * DAY, s.timeframe) + 2),
    })
    const { runner, bar, threshold } = this.signalRunner(
      { ...spec, expiresAt: null },
      { ...FRESH_STATE },
      true,
    )
    const firings: AlertPreview['firings'] = []
    let fired = 0
    let evaluated = 0
    let from: number | null = null
    let to: number | null = null
    for (const sig of stored) {
      if (sig.time < start) {
        runner.warm(bar(sig.time, sig.score))
        continue
      }
      from ??= sig.time
      to = sig.time
      evaluated++
      const t = runner.onBar(bar(sig.time, sig.score), true, nextBucket(sig.time, s.timeframe))
      if (t) {
        fired++
        firings.push({ time: t.time, barTime: t.barTime, values: { score: sig.score, threshold } })
      }
    }
    if (firings.length > MAX_PREVIEW_FIRINGS) firings.splice(0, firings.length - MAX_PREVIEW_FIRINGS)
    return { bars: evaluated, from, to, fired, firings }
  }

  private onTrading(u: Parameters<Parameters<OrderUpdates['subscribe']>[1]>[0]): void {
    if (u.type !== 'order') return
    const o = u.order
    const event =
      o.status === 'filled' || o.status === 'partially_filled' || o.status === 'rejected' ? o.status : null
    if (!event) return
    const key = `${o.accountId}\u0000${o.clientOrderId}\u0000${o.status}\u0000${o.filled}`
    if (this.seenOrders.has(key)) return
    if (this.seenOrders.size > 10_000) this.seenOrders.clear()
    this.seenOrders.add(key)
    for (const entry of this.entries.values()) {
      const c = entry.row.spec.condition
      if (entry.row.status !== 'active' || c.type !== 'order') continue
      if (c.accountId !== undefined && c.accountId !== o.accountId) continue
      if (!c.events.includes(event)) continue
      this.fireEvent(
        entry,
        orderValues(o),
        `${o.side} ${o.amount} ${o.symbol} ${event.replace('_', ' ')}`,
        o.symbol,
        'order',
      )
    }
  }

  private onHealth(exchange: string, stateChanged: boolean): void {
    const h = this.deps.exchanges?.health(exchange).find((x) => x.exchange === exchange)
    this.watchSkew(exchange, h?.clockSkew ?? null)
    if (!stateChanged || h?.state !== 'open') return
    for (const entry of this.entries.values()) {
      const c = entry.row.spec.condition
      if (entry.row.status !== 'active' || c.type !== 'breaker') continue
      if (c.exchange !== undefined && c.exchange !== exchange) continue
      this.fireEvent(entry, {}, `${exchange}'s breaker opened`, '', 'breaker')
    }
  }

  /**
   * An exchange's clock skew passing the signing guard (a measurement outside its recvWindow) is
   * raised once, when it goes outside; a later measurement back inside re-arms it.
   */
  private watchSkew(
    exchange: string,
    skew: NonNullable<ReturnType<BreakerHealth['health']>[number]['clockSkew']> | null,
  ): void {
    if (!skew) return
    if (skew.withinWindow) {
      this.skewed.delete(exchange)
      return
    }
    if (this.skewed.has(exchange)) return
    this.skewed.add(exchange)
    const secs = (ms: number): string => `${(Math.abs(ms) / 1000).toFixed(1)} s`
    const direction = skew.offsetMs < 0 ? 'ahead of' : 'behind'
    this.raise({
      kind: 'clock_skew',
      subject: exchange,
      message:
        `this computer's clock is ${secs(skew.offsetMs)} ${direction} ${exchange}'s, outside its ` +
        `${secs(skew.recvWindowMs)} window: signed requests are refused until the clock is synchronised` +
        (skew.adjusted ? '' : ' or "adjust for time difference" is on'),
      values: {
        offsetMs: skew.offsetMs,
        effectiveSkewMs: skew.effectiveSkewMs,
        recvWindowMs: skew.recvWindowMs,
      },
    })
  }

  /**
   * Events have no bars: `once` ends the alert, `every_time` keeps its minimum interval, others fire
   * each time. Answers whether it fired.
   */
  private fireEvent(
    entry: Entry,
    values: Record<string, number | null>,
    what: string,
    symbol: string,
    kind: FiringKind,
  ): boolean {
    const now = this.deps.clock.now()
    const spec = entry.row.spec
    const state = entry.row.state
    if (spec.expiresAt !== null && now >= spec.expiresAt) {
      this.finish(entry, 'expired')
      return false
    }
    if (
      spec.frequency === 'every_time' &&
      state.lastFiredAt !== null &&
      now - state.lastFiredAt < spec.minIntervalMs
    )
      return false
    state.lastFiredAt = now
    this.fire(entry, { time: now, barTime: now, values }, Number.NaN, false, true, { what, symbol, kind })
    this.persist([entry])
    if (spec.frequency === 'once') this.finish(entry, 'fired')
    return true
  }

  /** The market's price decimals, asked once per symbol. */
  private precisionOf(source: string, symbol: string): number | null {
    const key = `${source}\u0000${symbol}`
    if (!this.precisions.has(key)) {
      let p: number | null = null
      try {
        p = this.deps.precision?.precision(source, symbol) ?? null
      } catch (err) {
        this.deps.log.warn('price precision not known', { symbol, err })
      }
      this.precisions.set(key, p)
    }
    return this.precisions.get(key)!
  }

  // --- firing and delivery -----------------------------------------------------------------

  private fire(
    entry: Entry,
    t: Trigger,
    close: number,
    away: boolean,
    notify: boolean,
    event?: { what: string; symbol: string; kind: FiringKind },
  ): void {
    const spec = entry.row.spec
    const s = spec.series
    // Text for people (the market's decimals, a readable time); the firing keeps the exact numbers.
    const precision = s ? this.precisionOf(s.source, s.symbol) : null
    const fields: MessageFields = {
      name: spec.name,
      symbol: event?.symbol ?? s?.symbol ?? '',
      timeframe: s?.timeframe ?? '',
      close: formatMessagePrice(close, precision),
      condition: event ? `${describe(spec)}: ${event.what}` : describe(spec),
      time: readableTime(t.time),
      value: formatMessagePrice(t.values.left, precision),
    }
    const message = renderTemplate(spec.message ?? DEFAULT_TEMPLATE, fields)
    const firing = store.insertFiring(this.deps.db, {
      alertId: entry.row.id,
      alertName: spec.name,
      series: s,
      kind: event?.kind ?? (spec.condition.type as FiringKind),
      symbol: (event ? event.symbol : s?.symbol) || null,
      time: t.time,
      barTime: event ? null : t.barTime,
      away,
      message,
      values: t.values,
    })
    entry.row.state = entry.runner?.state ?? entry.row.state
    entry.row.state.lastFiredAt = t.time
    this.emit({ type: 'fired', firing, unread: store.unreadCount(this.deps.db) })
    const alert = toAlert(entry.row)
    if (notify) {
      try {
        this.deps.notifier?.notify(alert, firing)
      } catch (err) {
        this.deps.log.error('alert notification failed', err)
      }
    }
    for (const [i, channel] of spec.deliveries.entries()) {
      if (away) {
        // Hours-old news to a bot that acts on it would do harm: shown in the app, never sent.
        this.record(firing.id, {
          channel: i,
          kind: channel.kind,
          attempt: 0,
          at: this.deps.clock.now(),
          ok: false,
          status: null,
          error: 'skipped: fired while you were away',
          durationMs: 0,
        })
        continue
      }
      const text = renderTemplate(channel.template ?? spec.message ?? DEFAULT_TEMPLATE, fields)
      const job = this.send(entry.row.id, i, channel, text, firing, fields)
      this.pending.add(job)
      void job.finally(() => this.pending.delete(job))
    }
  }

  private async send(
    alertId: string,
    i: number,
    channel: StoredSpec['deliveries'][number],
    text: string,
    firing: Firing,
    fields: MessageFields,
  ): Promise<void> {
    const record = (a: Parameters<AlertService['record']>[1]) => this.record(firing.id, a)
    try {
      const secret = await loadChannelSecret(this.deps.secrets, alertId, i)
      if (secret === null) {
        record({
          channel: i,
          kind: channel.kind,
          attempt: 1,
          at: this.deps.clock.now(),
          ok: false,
          status: null,
          error: 'no URL or token stored for this channel',
          durationMs: 0,
        })
        return
      }
      const out = outgoing(channel, secret, text, firing, fields, this.deps.endpoints ?? DEFAULT_ENDPOINTS)
      await deliver(
        out,
        { channel: i, kind: channel.kind },
        this.deps.policy ?? DEFAULT_DELIVERY_POLICY,
        () => this.deps.clock.now(),
        this.aborter.signal,
        record,
      )
    } catch (err) {
      if (this.closed) return
      this.deps.log.error('alert delivery failed', { alert: alertId, channel: i, err })
      record({
        channel: i,
        kind: channel.kind,
        attempt: 1,
        at: this.deps.clock.now(),
        ok: false,
        status: null,
        error: err instanceof AppError ? err.message : 'could not send',
        durationMs: 0,
      })
    }
  }

  private record(firingId: number, a: Parameters<typeof store.insertDelivery>[2]): void {
    try {
      store.insertDelivery(this.deps.db, firingId, a)
    } catch (err) {
      this.deps.log.error('delivery not recorded', err)
      return
    }
    this.emit({ type: 'delivery', firingId, attempt: a })
  }
}

function orderValues(o: Order): Record<string, number | null> {
  const n = (x: string | null): number | null => (x === null ? null : Number(x))
  return { amount: n(o.amount), filled: n(o.filled), price: n(o.price), average: n(o.average) }
}
