/**
 * The backtest engine: bar by bar over one or several symbols sharing one cash account.
 *
 * Per time step (the union of the symbols' bar times within the range), for each symbol with a
 * bar at that time: fills along the bar's intrabar path (book.ts), then MAE/MFE, borrow and the
 * close as mark; then the equity is marked; then each of those symbols' strategy decides on its
 * closed bar, and its orders work from the next bar (or fill at this close with `fill: close`).
 *
 * No look-ahead by construction: the series are cut at the range's end before indicators are
 * computed, indicator values reach a decision only for its bar and the one before, and orders
 * placed at a close never fill on that bar except at its close with `fill: close`.
 */
import { AppError } from '../../shared/contract/errors'
import { getIndicator, type CandleSeries } from '../indicators'
import { nextBucket } from '../../shared/domain/timeframes'
import { Book, lowerBound, type Account, type Working } from './book'
import type { BacktestResult, TradeRecord } from './result'
import type { BacktestSettings } from './settings'
import type { BarState, IndicatorUse, OrderIntent, StrategyInstance } from './strategy'
import { inferTimeframe } from './timeframe-of'

export interface SymbolSeries {
  symbol: string
  series: CandleSeries
  /** Finer bars of the same symbol (1m under 1h), read with `intrabar` to resolve fills in a bar. */
  fine?: CandleSeries
}

export interface RunHooks {
  /** Called every few tens of thousands of steps, and at the end. */
  onProgress?(done: number, total: number): void
  /** Aborting stops the run with `BacktestCancelled`. */
  signal?: AbortSignal
}

export class BacktestCancelled extends Error {
  override readonly name = 'BacktestCancelled'
  constructor() {
    super('The backtest was cancelled')
  }
}

const PROGRESS_EVERY = 1 << 16

/** The mutable bar a strategy decides on (one per symbol, refilled each bar). */
class BarView implements BarState {
  index = 0
  time = NaN
  open = NaN
  high = NaN
  low = NaN
  close = NaN
  volume = NaN
  position = 0
  entryPrice = NaN
  equity = NaN
  cash = NaN
  readonly now: Float64Array
  readonly prev: Float64Array
  constructor(
    readonly symbol: string,
    slots: number,
  ) {
    this.now = new Float64Array(slots)
    this.prev = new Float64Array(slots)
  }
}

function cut(s: CandleSeries, n: number): CandleSeries {
  return {
    time: s.time.subarray(0, n),
    open: s.open.subarray(0, n),
    high: s.high.subarray(0, n),
    low: s.low.subarray(0, n),
    close: s.close.subarray(0, n),
    volume: s.volume.subarray(0, n),
  }
}

/** One column per IndicatorUse, computed by the registry over the (cut) series. */
export function indicatorColumns(series: CandleSeries, uses: readonly IndicatorUse[]): Float64Array[] {
  const cache = new Map<string, Float64Array[]>()
  return uses.map((u, k) => {
    if (u.compute) {
      const col = u.compute(series)
      if (col.length !== series.time.length)
        throw new AppError(
          'validation',
          `indicators[${k}]: ${u.id} gave ${col.length} values for ${series.time.length} bars`,
        )
      return col
    }
    const d = getIndicator(u.id)
    const key = `${u.id}:${JSON.stringify(u.params ?? {})}`
    let out = cache.get(key)
    if (!out) {
      out = d.compute(series, u.params)
      cache.set(key, out)
    }
    const o = u.output === undefined ? 0 : d.outputs.findIndex((x) => x.name === u.output)
    if (o < 0) throw new AppError('validation', `indicators[${k}]: ${u.id} has no output "${u.output}"`)
    return out[o]!
  })
}

/** Bars from `start` until every column has a value (indicators lead with NaN). */
export function warmupBars(cols: readonly Float64Array[], start: number): number {
  let w = 0
  for (const c of cols) {
    let i = start
    while (i < c.length && c[i] !== c[i]) i++
    w = Math.max(w, i - start)
  }
  return w
}

class Ledger implements Account {
  cash: number
  feesPaid = 0
  rejected = 0
  ambiguous = 0
  intrabar = 0
  constructor(
    cash: number,
    readonly books: Book[],
  ) {
    this.cash = cash
  }
  equityAt(book: Book, price: number): number {
    let e = this.cash
    for (const b of this.books) if (b.pos !== 0) e += b.pos * (b === book ? price : b.lastClose)
    return e
  }
  otherNotional(book: Book): number {
    let n = 0
    for (const b of this.books) if (b !== book && b.pos !== 0) n += Math.abs(b.pos * b.lastClose)
    return n
  }
  openPositions(): number {
    let n = 0
    for (const b of this.books) if (b.pos !== 0) n++
    return n
  }
  equity(): number {
    let e = this.cash
    for (const b of this.books) if (b.pos !== 0) e += b.pos * b.lastClose
    return e
  }
}

function badOrder(symbol: string, i: number, field: string): never {
  throw new AppError('validation', `strategy order on ${symbol} bar ${i}: bad ${field}`, field)
}

function checkIntent(o: OrderIntent, symbol: string, i: number): void {
  if (o.type === 'close' || o.type === 'cancel') return
  if (o.side !== 'buy' && o.side !== 'sell') badOrder(symbol, i, 'side')
  if (o.size !== undefined && !(o.size > 0 && Number.isFinite(o.size))) badOrder(symbol, i, 'size')
  if ((o.type === 'limit' || o.type === 'stop-limit') && !(o.price > 0 && Number.isFinite(o.price)))
    badOrder(symbol, i, 'price')
  if ((o.type === 'stop' || o.type === 'stop-limit') && !(o.stop > 0 && Number.isFinite(o.stop)))
    badOrder(symbol, i, 'stop')
}

/** Turns a decision's orders into working orders on the book. */
function place(b: Book, orders: readonly OrderIntent[], i: number): void {
  for (const o of orders) {
    checkIntent(o, b.symbol, i)
    if (o.type === 'cancel') {
      b.working = b.working.filter((w) => w.kind === 'market')
      continue
    }
    const w: Working = {
      kind: 'market',
      side: 0,
      qty: NaN,
      limit: NaN,
      stop: NaN,
      triggered: false,
      expires: Infinity,
      close: false,
      reason: 'signal',
    }
    if (o.type === 'close') {
      if (b.pos === 0) continue
      w.side = -Math.sign(b.pos)
      w.close = true
      b.working.push(w)
      continue
    }
    w.side = o.side === 'buy' ? 1 : -1
    w.qty = o.size ?? NaN
    if (o.type !== 'market') {
      w.kind = o.type
      if (o.type === 'limit' || o.type === 'stop-limit') w.limit = o.price
      if (o.type === 'stop' || o.type === 'stop-limit') w.stop = o.stop
      if (o.expireBars !== undefined) w.expires = i + o.expireBars
    }
    b.working.push(w)
  }
}

/**
 * The union of the symbols' bar times from their range starts, sorted: a k-way merge of the
 * sorted columns straight into a typed array (10 x 1M bars would take ~250 MB as JS arrays).
 */
function timeline(books: Book[], starts: number[]): Float64Array {
  if (books.length === 1) return books[0]!.time.subarray(starts[0])
  const heads = starts.slice()
  let cap = 0
  books.forEach((b, k) => (cap = Math.max(cap, b.time.length - starts[k]!)))
  let out = new Float64Array(cap)
  let n = 0
  for (;;) {
    let t = Infinity
    for (let k = 0; k < books.length; k++) {
      const h = heads[k]!
      const times = books[k]!.time
      if (h < times.length && times[h]! < t) t = times[h]!
    }
    if (t === Infinity) break
    for (let k = 0; k < books.length; k++) {
      const times = books[k]!.time
      if (heads[k]! < times.length && times[heads[k]!] === t) heads[k]!++
    }
    if (n === out.length) {
      const grown = new Float64Array(Math.ceil(out.length * 1.5) + 16)
      grown.set(out)
      out = grown
    }
    out[n++] = t
  }
  return out.slice(0, n)
}

/**
 * The loop for one symbol (the common case, and the bench's): the timeline is its own bars,
 * so it runs without the per-step symbol matching, with the columns in locals.
 */
function loopOne(
  b: Book,
  v: BarView,
  acct: Ledger,
  equity: Float64Array,
  instance: StrategyInstance,
  atClose: boolean,
  hooks: RunHooks,
): void {
  const { time, open, high, low, close, volume, cols } = b
  const n = time.length
  const start = b.ptr
  const nc = cols.length
  const now = v.now
  const prev = v.prev
  const atrSlot = instance.exits.atrSlot
  const decide = instance.decide
  for (let i = start; i < n; i++) {
    if (b.working.length !== 0 || (b.pos !== 0 && b.busy())) b.processBar(i, acct)
    if (b.pos !== 0) b.closeBar(i, acct)
    else b.lastClose = close[i]!
    b.lastTime = time[i]!
    const c = close[i]!
    const eq = acct.cash + b.pos * c
    equity[i - start] = eq
    v.index = i
    v.time = time[i]!
    v.open = open[i]!
    v.high = high[i]!
    v.low = low[i]!
    v.close = c
    v.volume = volume[i]!
    v.position = b.pos
    v.entryPrice = b.avg
    v.equity = eq
    v.cash = acct.cash
    for (let j = 0; j < nc; j++) {
      const col = cols[j]!
      now[j] = col[i]!
      prev[j] = i > 0 ? col[i - 1]! : NaN
    }
    if (atrSlot !== undefined) b.signalAtr = cols[atrSlot]![i]!
    const orders = decide(v)
    if (orders.length !== 0) {
      place(b, orders, i)
      if (atClose) {
        for (const w of b.working.slice()) if (w.kind === 'market') b.fillMarketAtClose(w, i, acct)
        equity[i - start] = acct.cash + b.pos * c
      }
    }
    if (((i - start) & (PROGRESS_EVERY - 1)) === PROGRESS_EVERY - 1) {
      if (hooks.signal?.aborted) throw new BacktestCancelled()
      hooks.onProgress?.(i - start + 1, n - start)
    }
  }
  b.ptr = n
}

/**
 * Runs `instance` over `data` with `settings` (parsed by parseSettings). One strategy instance
 * serves every symbol (its decision reads only the bar it is given).
 */
export function runBacktest(
  instance: StrategyInstance,
  data: readonly SymbolSeries[],
  settings: BacktestSettings,
  hooks: RunHooks = {},
): BacktestResult {
  if (data.length === 0) throw new AppError('validation', 'symbols: give at least one series', 'symbols')
  const trades: TradeRecord[] = []
  const books: Book[] = []
  const starts: number[] = []
  const ranges: BacktestResult['ranges'] = {}
  const unresolved: string[] = []
  for (const { symbol, series, fine } of data) {
    const end = settings.to === undefined ? series.time.length : lowerBound(series.time, settings.to + 1)
    const start = settings.from === undefined ? 0 : lowerBound(series.time, settings.from)
    if (start >= end)
      throw new AppError(
        'validation',
        `${symbol}: no bars between from and to`,
        settings.from === undefined ? 'to' : 'from',
      )
    const s = cut(series, end)
    const cols = indicatorColumns(s, instance.indicators)
    const weight = settings.allocation?.[symbol] ?? 1
    const b = new Book(symbol, s, cols, instance.exits, settings, weight, trades)
    if (settings.intrabar) {
      if (fine && fine.time.length > 0) {
        const tf = inferTimeframe(s.time)
        if (!tf)
          throw new AppError(
            'validation',
            `settings.intrabar: cannot tell the timeframe of ${symbol}'s bars to place its finer bars in them`,
            'intrabar',
          )
        b.fine = fine
        b.barEnd = (t) => nextBucket(t, tf)
      } else unresolved.push(symbol)
    }
    b.ptr = start
    // Marks before the range (for a portfolio whose symbols start apart) use the last warm-up close.
    if (start > 0) b.lastClose = s.close[start - 1]!
    books.push(b)
    starts.push(start)
    ranges[symbol] = { start, end: end - 1, warmup: warmupBars(cols, start) }
  }
  const times = timeline(books, starts)
  const T = times.length
  const equity = new Float64Array(T)
  const acct = new Ledger(settings.cash, books)
  const views = books.map((b) => new BarView(b.symbol, b.cols.length))
  const atrSlot = instance.exits.atrSlot
  const atClose = settings.fill === 'close'
  const decide = instance.decide
  const nBooks = books.length
  const stepped: boolean[] = books.map(() => false)

  if (nBooks === 1) loopOne(books[0]!, views[0]!, acct, equity, instance, atClose, hooks)
  else {
    for (let k = 0; k < T; k++) {
      const t = times[k]!
      for (let j = 0; j < nBooks; j++) {
        const b = books[j]!
        const i = b.ptr
        if (i >= b.time.length || b.time[i] !== t) {
          stepped[j] = false
          continue
        }
        stepped[j] = true
        if (b.busy()) b.processBar(i, acct)
        b.closeBar(i, acct)
      }
      const eq = acct.equity()
      equity[k] = eq
      for (let j = 0; j < nBooks; j++) {
        if (!stepped[j]) continue
        const b = books[j]!
        const i = b.ptr++
        const v = views[j]!
        v.index = i
        v.time = t
        v.open = b.open[i]!
        v.high = b.high[i]!
        v.low = b.low[i]!
        v.close = b.close[i]!
        v.volume = b.volume[i]!
        v.position = b.pos
        v.entryPrice = b.avg
        v.equity = eq
        v.cash = acct.cash
        const cols = b.cols
        for (let c = 0; c < cols.length; c++) {
          const col = cols[c]!
          v.now[c] = col[i]!
          v.prev[c] = i > 0 ? col[i - 1]! : NaN
        }
        if (atrSlot !== undefined) b.signalAtr = cols[atrSlot]![i]!
        const orders = decide(v)
        if (orders.length === 0) continue
        place(b, orders, i)
        if (atClose) {
          for (const w of b.working.slice()) if (w.kind === 'market') b.fillMarketAtClose(w, i, acct)
          equity[k] = acct.equity()
        }
      }
      if ((k & (PROGRESS_EVERY - 1)) === PROGRESS_EVERY - 1) {
        if (hooks.signal?.aborted) throw new BacktestCancelled()
        hooks.onProgress?.(k + 1, T)
      }
    }
  }

  if (settings.closeAtEnd) {
    // backtesting.py closes open trades at the last bar's open (its final broker pass reuses
    // that bar's prices); everyone else, at the last close.
    const compat = settings.compat === 'backtesting.py'
    for (const b of books) {
      const last = b.time.length - 1
      b.closeAll(compat ? b.open[last]! : b.close[last]!, last, acct)
    }
    if (T > 0) equity[T - 1] = acct.equity()
  }
  hooks.onProgress?.(T, T)

  const drawdown = new Float64Array(T)
  let peak = -Infinity
  for (let k = 0; k < T; k++) {
    const e = equity[k]!
    if (e > peak) peak = e
    drawdown[k] = peak > 0 ? e / peak - 1 : 0
  }
  trades.sort((a, b) => a.exitTime - b.exitTime || a.entryTime - b.entryTime)
  const flags: string[] = []
  if (atClose)
    flags.push(
      'fill=close: market orders filled at the signal bar’s own close, a price nobody could trade at once the bar had closed; results are optimistic',
    )
  if (unresolved.length > 0)
    flags.push(`intrabar: no finer bars of ${unresolved.join(', ')}; its fills followed the intrabar path`)
  if (settings.compat !== 'none')
    flags.push(`compat=${settings.compat}: that tool's fill and sizing conventions`)
  return {
    trades,
    equity: { time: times.slice(), value: equity },
    drawdown,
    ambiguousBars: acct.ambiguous,
    intrabarBars: acct.intrabar,
    rejectedOrders: acct.rejected,
    workingAtEnd: books.reduce((n, b) => n + b.working.length, 0),
    feesPaid: acct.feesPaid,
    flags,
    ranges,
  }
}
