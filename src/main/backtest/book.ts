/**
 * One symbol's side of a backtest: its bars, indicator columns, position, working orders and
 * exits, and the fill rules. The account (cash, other symbols) is reached through `Account`.
 *
 * Intrabar path (docs/BACKTEST.md "Fill model"): every bar is walked open -> nearer extreme ->
 * farther extreme -> close (a tie goes to the low first). At the open, anything already past
 * its level fills at the open (a gap); then each leg moves monotonically, and the levels it
 * crosses fill in the order the price reaches them, at their level. Exits of a position that
 * opened inside a leg are watched from the next leg on.
 *
 * With finer bars of the same symbol (`intrabar`), a bar whose finer bars agree with it (first
 * open, last close, highest high and lowest low) is walked on them instead: each finer bar's own
 * path in turn, its open a gap point. Only a finer bar holding both a stop and a target leaves
 * the bar ambiguous.
 *
 * Money is float64 here: a simulation of thousands of fills per millisecond, not the ledger.
 */
import type { CandleSeries } from '../indicators'
import type { ExitReason, TradeRecord } from './result'
import type { BacktestSettings } from './settings'
import type { ExitDistance, ExitRules } from './strategy'

/** A working order. `qty` NaN = sized by the run's sizing when it fills (a target entry). */
export interface Working {
  kind: 'market' | 'limit' | 'stop' | 'stop-limit'
  /** +1 buy, -1 sell. */
  side: number
  qty: number
  limit: number
  stop: number
  /** Stop-limit whose stop was reached: it rests as a limit order. */
  triggered: boolean
  /** Last bar index on which it may fill. */
  expires: number
  /** Closes the position (qty NaN = all of it). */
  close: boolean
  reason: ExitReason
}

/** What a book needs from the account it shares with the other symbols. */
export interface Account {
  cash: number
  feesPaid: number
  rejected: number
  ambiguous: number
  /** Bars walked on finer bars (`intrabar`). */
  intrabar: number
  /** Equity with this book marked at `price` and the others at their last close. */
  equityAt(book: Book, price: number): number
  /** Absolute notional of the other books' positions at their last close. */
  otherNotional(book: Book): number
  openPositions(): number
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000

interface Event {
  level: number
  /** 0 stop-loss, 1 take-profit, 2 trailing, 3 working order. */
  what: number
  order: Working | null
}

export class Book {
  readonly time: Float64Array
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  readonly volume: Float64Array
  /** Next bar to process (the timeline walks it). */
  ptr = 0
  lastClose = NaN
  lastTime = NaN

  pos = 0
  avg = NaN
  entryBar = -1
  entryTime = NaN
  entryFees = 0
  entrySlip = 0
  borrow = 0
  best = NaN
  worst = NaN
  sl = NaN
  tp = NaN
  trailDist = NaN
  trailPct = NaN
  extreme = NaN
  trail = NaN
  /** ATR at the last decision, for ATR exit distances and risk sizing. */
  signalAtr = NaN

  /** Finer bars of the symbol (`intrabar`), and the end (exclusive) of the bar opening at t. */
  fine: CandleSeries | null = null
  barEnd: (t: number) => number = () => NaN

  working: Working[] = []
  /** Units this bar may still fill under the volume-share cap. */
  private volLeft = Infinity
  /** The bar `volLeft` belongs to. */
  private volBar = -1
  private readonly events: Event[] = []

  constructor(
    readonly symbol: string,
    series: CandleSeries,
    readonly cols: Float64Array[],
    readonly exits: ExitRules,
    private readonly s: BacktestSettings,
    readonly weight: number,
    readonly trades: TradeRecord[],
  ) {
    this.time = series.time
    this.open = series.open
    this.high = series.high
    this.low = series.low
    this.close = series.close
    this.volume = series.volume
  }

  /** Whether the bar needs the fill machinery (orders working, or exits on a position). */
  busy(): boolean {
    return (
      this.working.length > 0 ||
      (this.pos !== 0 && (this.sl === this.sl || this.tp === this.tp || this.trail === this.trail))
    )
  }

  /** Runs bar `i`'s fills along the intrabar path. */
  processBar(i: number, acct: Account): void {
    const o = this.open[i]!
    const h = this.high[i]!
    const l = this.low[i]!
    const c = this.close[i]!
    this.startVolume(i)
    if (this.working.length !== 0) {
      this.dropExpired(i)
      // Market orders placed at the last close fill at this open, in the order given.
      const ws = this.working.slice()
      for (let k = 0; k < ws.length; k++) if (ws[k]!.kind === 'market') this.fillMarket(ws[k]!, o, i, acct)
    }
    if (!this.watching()) return
    if (this.fine !== null && this.walkFine(i, acct)) return
    if (this.pos !== 0 && this.ambiguousIn(o, h, l)) acct.ambiguous++
    this.walk(o, h, l, c, i, acct)
  }

  /** One bar's path: its open (gaps), then open -> nearer extreme -> farther extreme -> close. */
  private walk(o: number, h: number, l: number, c: number, i: number, acct: Account): void {
    this.touch(o, o, i, acct, true)
    const lowFirst = o - l <= h - o
    const e1 = lowFirst ? l : h
    const e2 = lowFirst ? h : l
    this.touch(o, e1, i, acct, false)
    this.touch(e1, e2, i, acct, false)
    this.touch(e2, c, i, acct, false)
  }

  /**
   * Bar i walked on its finer bars, each along its own path; false (nothing done) when they do
   * not cover it: none, or their open, close, high or low differ from the bar's.
   */
  private walkFine(i: number, acct: Account): boolean {
    const f = this.fine!
    const from = lowerBound(f.time, this.time[i]!)
    const to = lowerBound(f.time, this.barEnd(this.time[i]!))
    if (to <= from) return false
    let h = -Infinity
    let l = Infinity
    for (let j = from; j < to; j++) {
      if (f.high[j]! > h) h = f.high[j]!
      if (f.low[j]! < l) l = f.low[j]!
    }
    if (
      f.open[from] !== this.open[i] ||
      f.close[to - 1] !== this.close[i] ||
      h !== this.high[i] ||
      l !== this.low[i]
    )
      return false
    let ambiguous = false
    for (let j = from; j < to; j++) {
      if (this.pos !== 0 && !ambiguous && this.ambiguousIn(f.open[j]!, f.high[j]!, f.low[j]!))
        ambiguous = true
      this.walk(f.open[j]!, f.high[j]!, f.low[j]!, f.close[j]!, i, acct)
      if (!this.watching()) break
    }
    acct.intrabar++
    if (ambiguous) acct.ambiguous++
    return true
  }

  private startVolume(i: number): void {
    if (this.volBar === i) return
    this.volBar = i
    this.volLeft = this.s.slippage.volumeShare > 0 ? this.s.slippage.volumeShare * this.volume[i]! : Infinity
  }

  /** `fill: close`: a market order placed at bar i's close fills at that close. */
  fillMarketAtClose(w: Working, i: number, acct: Account): void {
    this.startVolume(i)
    this.fillOrder(w, this.close[i]!, i, acct, false, true)
  }

  /** Drops working orders past their expiry. */
  private dropExpired(i: number): void {
    const ws = this.working
    let kept = 0
    for (let k = 0; k < ws.length; k++) if (ws[k]!.expires >= i) ws[kept++] = ws[k]!
    ws.length = kept
  }

  /** Whether anything waits for a price inside the bar: an exit, or a limit or stop order. */
  private watching(): boolean {
    if (this.pos !== 0 && (this.sl === this.sl || this.tp === this.tp || this.trail === this.trail))
      return true
    const ws = this.working
    for (let k = 0; k < ws.length; k++) if (ws[k]!.kind !== 'market') return true
    return false
  }

  /** Whether the position's stop and its take-profit both lie inside a bar opening between them. */
  private ambiguousIn(o: number, h: number, l: number): boolean {
    const stop =
      this.pos > 0
        ? Math.max(nz(this.sl, -Infinity), nz(this.trail, -Infinity))
        : Math.min(nz(this.sl, Infinity), nz(this.trail, Infinity))
    const tp = this.tp
    if (!Number.isFinite(stop) || tp !== tp) return false
    const between = this.pos > 0 ? o > stop && o < tp : o < stop && o > tp
    return between && stop >= l && stop <= h && tp >= l && tp <= h
  }

  /**
   * The leg from `a` to `b` (a point when `atOpen`): collects the levels it reaches, fills them
   * in the order the price meets them, then moves a trailing stop's extreme to `b`.
   */
  private touch(a: number, b: number, i: number, acct: Account, atOpen: boolean): void {
    const ev = this.events
    ev.length = 0
    const up = b > a
    if (this.pos > 0) {
      if (inLeg(this.sl, false, a, b, atOpen)) ev.push({ level: this.sl, what: 0, order: null })
      if (inLeg(this.trail, false, a, b, atOpen)) ev.push({ level: this.trail, what: 2, order: null })
      if (inLeg(this.tp, true, a, b, atOpen)) ev.push({ level: this.tp, what: 1, order: null })
    } else if (this.pos < 0) {
      if (inLeg(this.sl, true, a, b, atOpen)) ev.push({ level: this.sl, what: 0, order: null })
      if (inLeg(this.trail, true, a, b, atOpen)) ev.push({ level: this.trail, what: 2, order: null })
      if (inLeg(this.tp, false, a, b, atOpen)) ev.push({ level: this.tp, what: 1, order: null })
    }
    for (const w of this.working) {
      if (w.kind === 'market') continue
      const buy = w.side > 0
      if (w.kind === 'limit' || w.triggered) {
        if (inLeg(w.limit, !buy, a, b, atOpen)) ev.push({ level: w.limit, what: 3, order: w })
      } else if (inLeg(w.stop, buy, a, b, atOpen)) ev.push({ level: w.stop, what: 3, order: w })
    }
    if (ev.length > 0) {
      if (!atOpen) ev.sort((x, y) => (up ? x.level - y.level : y.level - x.level))
      const sign = this.pos
      for (const e of ev) {
        const at = atOpen ? a : e.level
        if (e.order) this.fillWorking(e.order, at, b, up, i, acct, atOpen)
        else if (this.pos !== 0 && Math.sign(this.pos) === Math.sign(sign)) {
          const reason: ExitReason =
            e.what === 0 ? 'stop-loss' : e.what === 1 ? 'take-profit' : 'trailing-stop'
          // Take-profits rest as limit orders (maker, no slippage); stops fill as market orders.
          this.exitAt(at, i, acct, reason, e.what === 1)
        }
      }
    }
    this.moveTrail(b)
  }

  private moveTrail(price: number): void {
    if (this.pos === 0 || this.trail !== this.trail) return
    if (this.pos > 0 && price > this.extreme) {
      this.extreme = price
      this.trail = Math.max(
        this.trail,
        this.trailPct === this.trailPct ? price * (1 - this.trailPct) : price - this.trailDist,
      )
    } else if (this.pos < 0 && price < this.extreme) {
      this.extreme = price
      this.trail = Math.min(
        this.trail,
        this.trailPct === this.trailPct ? price * (1 + this.trailPct) : price + this.trailDist,
      )
    }
  }

  /** A working limit, stop or stop-limit order whose level the price reached at `at`. */
  private fillWorking(
    w: Working,
    at: number,
    legEnd: number,
    up: boolean,
    i: number,
    acct: Account,
    atOpen: boolean,
  ): void {
    if (!this.working.includes(w)) return
    if (w.kind === 'stop-limit' && !w.triggered) {
      w.triggered = true
      // Triggered at `at`; it fills there if that is within the limit, else it rests.
      const ok = w.side > 0 ? at <= w.limit : at >= w.limit
      if (ok) this.fillOrder(w, at, i, acct, true, false)
      else if (!atOpen) {
        // The rest of this leg can still come back to the limit only if it moves toward it.
        const reaches = w.side > 0 ? !up && legEnd <= w.limit : up && legEnd >= w.limit
        if (reaches) this.fillOrder(w, w.limit, i, acct, true, false)
      }
      return
    }
    const isLimit = w.kind === 'limit' || w.triggered
    this.fillOrder(w, at, i, acct, isLimit, !isLimit)
  }

  /** Market order (or its unfilled rest) at `price` (this bar's open, or a signal close). */
  fillMarket(w: Working, price: number, i: number, acct: Account): void {
    this.fillOrder(w, price, i, acct, false, true)
  }

  /** Fills what it can of `w` at `ref` (slipped when `taker`), removing it when done. */
  private fillOrder(w: Working, ref: number, i: number, acct: Account, maker: boolean, taker: boolean): void {
    const side = w.side
    let qty = w.qty
    if (w.close) {
      if (this.pos === 0 || Math.sign(this.pos) === side) return this.remove(w)
      qty = qty === qty ? Math.min(qty, Math.abs(this.pos)) : Math.abs(this.pos)
    } else if (qty !== qty) {
      // A target entry: already that way -> nothing; the other way -> close first, then size.
      if (Math.sign(this.pos) === side) return this.remove(w)
      if (!this.sideAllowed(side)) {
        acct.rejected++
        return this.remove(w)
      }
      const price0 = taker ? this.slipped(ref, side, i) : ref
      if (this.pos !== 0)
        this.trade(-Math.sign(this.pos), Math.abs(this.pos), ref, price0, i, acct, maker, 'reversal')
      if (this.pos !== 0) return // the reversal was cut by the volume cap: the entry waits
      if (this.s.maxOpenPositions !== undefined && acct.openPositions() >= this.s.maxOpenPositions) {
        acct.rejected++
        return this.remove(w)
      }
      qty = this.size(price0, side, acct, maker)
      if (!(qty > 0)) {
        acct.rejected++
        return this.remove(w)
      }
      w.qty = qty
    } else if (!this.sideAllowed(Math.sign(this.pos + side * qty))) {
      // A sized order may reduce a position but not cross into a side the run does not allow.
      qty = Math.sign(this.pos) === -side ? Math.abs(this.pos) : 0
      if (qty === 0) {
        acct.rejected++
        return this.remove(w)
      }
    }
    const fill = Math.min(qty, this.volLeft)
    if (!(fill > 0)) return
    this.volLeft -= fill
    const price = taker ? this.slipped(ref, side, i) : ref
    this.trade(side, fill, ref, price, i, acct, maker, w.reason)
    w.qty = qty - fill
    if (w.qty <= 1e-12 * qty) this.remove(w)
    else if (w.kind !== 'market') {
      // A partly filled limit or stop keeps working for its rest; a stop's rest goes at market.
      if (w.kind === 'stop' || (w.kind === 'stop-limit' && !w.triggered)) w.kind = 'market'
    }
  }

  private remove(w: Working): void {
    const k = this.working.indexOf(w)
    if (k >= 0) this.working.splice(k, 1)
  }

  private sideAllowed(sign: number): boolean {
    const sides = this.s.sides
    return sign === 0 || sides === 'both' || (sides === 'long' ? sign > 0 : sign < 0)
  }

  /** `ref` moved against a taker by the slippage settings. */
  private slipped(ref: number, side: number, i: number): number {
    const sl = this.s.slippage
    if (sl.bps === 0 && sl.rangeFraction === 0) return ref
    return ref + side * (ref * sl.bps * 1e-4 + sl.rangeFraction * (this.high[i]! - this.low[i]!))
  }

  /** Units for a new entry at `price`, from the sizing, the lot step and the leverage cap. */
  private size(price: number, side: number, acct: Account, maker: boolean): number {
    const s = this.s
    const rate = maker ? s.fees.maker : s.fees.taker
    const unitCost = price * (1 + rate)
    const equity = acct.equityAt(this, price)
    let qty: number
    const z = s.sizing
    if (z.mode === 'units') qty = z.value
    else if (z.mode === 'quote') qty = (z.value - s.fees.fixed) / unitCost
    else if (z.mode === 'percent') qty = (equity * z.value * this.weight - s.fees.fixed) / unitCost
    else {
      const d = this.distance(this.exits.stopLoss, price)
      qty = d > 0 ? (equity * z.value * this.weight) / d : NaN
    }
    const room = (equity * s.leverage - acct.otherNotional(this) - s.fees.fixed) / unitCost
    if (qty > room) qty = room
    if (s.lotStep > 0) qty = Math.floor(qty / s.lotStep + 1e-9) * s.lotStep
    return qty
  }

  /** Price distance of an exit from `price`: a fraction of it or an ATR multiple. */
  private distance(d: ExitDistance | undefined, price: number): number {
    if (!d) return NaN
    return d.kind === 'percent' ? price * d.value : this.signalAtr * d.value
  }

  /** Closes the whole position at `price` (`maker`: a resting take-profit). */
  private exitAt(price: number, i: number, acct: Account, reason: ExitReason, maker: boolean): void {
    const side = -Math.sign(this.pos)
    const fill = Math.min(Math.abs(this.pos), this.volLeft)
    if (!(fill > 0)) return
    this.volLeft -= fill
    const px = maker ? price : this.slipped(price, side, i)
    this.trade(side, fill, price, px, i, acct, maker, reason)
  }

  /** Closes what is open at `price` (end of the range), as a market order. */
  closeAll(price: number, i: number, acct: Account): void {
    if (this.pos === 0) return
    const side = -Math.sign(this.pos)
    this.trade(side, Math.abs(this.pos), price, this.slipped(price, side, i), i, acct, false, 'end')
  }

  /**
   * A fill of `qty` units on `side` at `price` (`ref` before slippage): cash, fees, the
   * position, and a trade record for the units it closes.
   */
  trade(
    side: number,
    qty: number,
    ref: number,
    price: number,
    i: number,
    acct: Account,
    maker: boolean,
    reason: ExitReason,
  ): void {
    const f = this.s.fees
    const fee = qty * price * (maker ? f.maker : f.taker) + f.fixed
    const slip = qty * Math.abs(price - ref)
    acct.cash -= side * qty * price + fee
    acct.feesPaid += fee
    const pos = this.pos
    if (pos === 0 || Math.sign(pos) === side) {
      const open = Math.abs(pos)
      this.avg = open === 0 ? price : (open * this.avg + qty * price) / (open + qty)
      this.pos = pos + side * qty
      this.entryFees += fee
      this.entrySlip += slip
      if (open === 0) this.opened(price, i)
      return
    }
    const open = Math.abs(pos)
    const closing = Math.min(qty, open)
    const part = closing / open
    const exitFee = (fee * closing) / qty
    const entryFee = this.entryFees * part
    const borrow = this.borrow * part
    const dir = Math.sign(pos)
    const pnl = dir * (price - this.avg) * closing - entryFee - exitFee - borrow
    const bestMove = dir > 0 ? Math.max(this.best, price) : Math.min(this.best, price)
    const worstMove = dir > 0 ? Math.min(this.worst, price) : Math.max(this.worst, price)
    this.trades.push({
      symbol: this.symbol,
      entryTime: this.entryTime,
      exitTime: this.time[i]!,
      entryPrice: this.avg,
      exitPrice: price,
      size: dir * closing,
      pnl,
      returnPct: pnl / (closing * this.avg),
      fees: entryFee + exitFee,
      slippage: this.entrySlip * part + (slip * closing) / qty,
      borrow,
      mae: (dir * (worstMove - this.avg)) / this.avg,
      mfe: (dir * (bestMove - this.avg)) / this.avg,
      barsHeld: i - this.entryBar,
      exitReason: closing < open && reason === 'signal' ? 'reduce' : reason,
      entryBar: this.entryBar,
      exitBar: i,
    })
    this.entryFees -= entryFee
    this.entrySlip -= this.entrySlip * part
    this.borrow -= borrow
    this.pos = pos + side * closing
    if (closing === open) {
      this.pos = 0
      this.flat()
      const rest = qty - closing
      if (rest > 0) {
        // A sized order larger than the position reverses it; the rest opens the other way.
        this.avg = price
        this.pos = side * rest
        this.entryFees = fee - exitFee
        this.entrySlip = (slip * rest) / qty
        this.opened(price, i)
      }
    }
  }

  /** A new position at `price` on bar i: its exits are set from the entry fill. */
  private opened(price: number, i: number): void {
    this.entryBar = i
    this.entryTime = this.time[i]!
    this.best = this.worst = price
    const dir = Math.sign(this.pos)
    const e = this.exits
    const sl = this.distance(e.stopLoss, price)
    const tp = this.distance(e.takeProfit, price)
    this.sl = sl === sl ? price - dir * sl : NaN
    this.tp = tp === tp ? price + dir * tp : NaN
    if (e.trailing) {
      this.trailPct = e.trailing.kind === 'percent' ? e.trailing.value : NaN
      this.trailDist = e.trailing.kind === 'atr' ? this.signalAtr * e.trailing.value : NaN
      this.extreme = price
      this.trail =
        e.trailing.kind === 'percent' ? price * (1 - dir * e.trailing.value) : price - dir * this.trailDist
    }
  }

  private flat(): void {
    this.avg = NaN
    this.entryBar = -1
    this.entryTime = NaN
    this.entryFees = this.entrySlip = this.borrow = 0
    this.sl = this.tp = this.trail = this.trailDist = this.trailPct = this.extreme = NaN
    this.best = this.worst = NaN
  }

  /** After bar i's fills: MAE/MFE extremes and borrow on a short, then the close as mark. */
  closeBar(i: number, acct: Account): void {
    const c = this.close[i]!
    const t = this.time[i]!
    if (this.pos !== 0) {
      if (this.pos > 0) {
        if (this.high[i]! > this.best) this.best = this.high[i]!
        if (this.low[i]! < this.worst) this.worst = this.low[i]!
      } else {
        if (this.low[i]! < this.best) this.best = this.low[i]!
        if (this.high[i]! > this.worst) this.worst = this.high[i]!
        const rate = this.s.borrowRate
        if (rate > 0 && this.lastTime === this.lastTime && this.entryBar < i) {
          const cost = -this.pos * c * rate * ((t - this.lastTime) / YEAR_MS)
          acct.cash -= cost
          this.borrow += cost
        }
      }
    }
    this.lastClose = c
    this.lastTime = t
  }
}

function nz(x: number, d: number): number {
  return x === x ? x : d
}

/**
 * Whether the leg a -> b reaches level x: a rising trigger (price >= x) on a leg going up
 * through it, a falling one on a leg going down; at the open (a point), whether the open is
 * already past it.
 */
function inLeg(x: number, rising: boolean, a: number, b: number, atOpen: boolean): boolean {
  if (atOpen) return rising ? x <= a : x >= a
  return rising ? b > a && x > a && x <= b : b < a && x < a && x >= b
}

/** Index of the first time >= t (binary search). */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}
