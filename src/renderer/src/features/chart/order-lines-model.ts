import { Decimal } from '../../../../shared/decimal/decimal'
import type { Order, Position } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { unrealizedAt } from '../ticket/closing'
import { formatQty, formatSigned } from '../desk/format'
import { toChartPrice, toChartPriceOrNull } from './chart-price'

/**
 * What the chart draws for the trader's orders and position in the shown symbol, as TradingView's
 * trading panel does: a line per price of each working order (its limit price, its stop price;
 * both for an order with both), labelled with side, type, remaining size and price; the
 * position's average entry with its unrealised P&L at the last price; and, on an order that
 * would reduce the position (a stop-loss or take-profit, a bracket's legs), the P&L it would
 * realise if it filled there. Pure: the overlay and the primitive draw what this returns.
 *
 * A line's position on the chart is a number (pixels); what its label says (sizes, prices, P&L)
 * is computed from the engine's exact decimal text, never from that number.
 */

export type LineTone = 'buy' | 'sell' | 'position' | 'pending'
export type NoteTone = 'profit' | 'loss' | 'muted'

export interface ChartLine {
  /** `order:<clientOrderId>:<field>` or `position:<symbol>`. */
  id: string
  kind: 'order' | 'position'
  /** The order the line stands for (order lines). */
  order: Order | null
  /** Which of the order's prices the line is: dragging it changes that field. */
  field: 'price' | 'stopPrice' | null
  price: number
  /** BUY, SELL, LONG, SHORT. */
  sideText: string
  /** LIMIT, STOP, SL, TP, … (by the order's type, or its role against the position). */
  tag: string
  /** Remaining size (orders) or the position's size, formatted. */
  size: string
  /** The price as the label shows it. */
  priceText: string
  /** P&L, or what is happening to the line (checking, moving, canceling). */
  note: string | null
  noteTone: NoteTone | null
  /** What `note` means, for the label's tooltip. */
  noteHelp: string | null
  tone: LineTone
  draggable: boolean
  cancellable: boolean
  /** `buy limit 0.01 BTC at 60,000.00`, for accessible names and notices. */
  describe: string
}

/** A line the trader moved and whose order has not caught up yet. */
export interface LineMove {
  /** The new price, an exact decimal string at the tick. */
  price: string
  /** `confirm`: waiting for the trader (live); `sending`: asked of the engine; `sent`: answered. */
  state: 'confirm' | 'sending' | 'sent'
}

export interface LineInputs {
  symbol: string
  orders: readonly Order[]
  positions: readonly Position[]
  /** The last price, for the position's P&L (the engine's mark is as old as the last fill). */
  last: number | undefined
  /** Price decimals of the market. */
  precision: number
  moves: Readonly<Record<string, LineMove>>
  /** Client order ids being canceled. */
  cancelling: readonly string[]
}

const WORKING: readonly string[] = ['open', 'partially_filled']
const UNRESOLVED: readonly string[] = ['pending', 'sent', 'unknown']

export const lineId = (clientOrderId: string, field: 'price' | 'stopPrice'): string =>
  `order:${clientOrderId}:${field}`

/** An order type as a label tag: `limit` -> LIMIT, `stop_limit` -> STOP LIMIT. */
export function typeTag(type: string): string {
  if (type === 'market') return 'MKT'
  return type.replace(/_/g, ' ').toUpperCase()
}

function baseOf(symbol: string): string {
  return symbol.split('/')[0] ?? symbol
}

/**
 * The role of an order against the open position: SL for a stop (trigger) that would close
 * some of it, TP for a limit or take-profit that would; null for an order that adds to it.
 */
function roleOf(o: Order, position: Position | undefined, field: 'price' | 'stopPrice'): string | null {
  if (!position || (position.side !== 'long' && position.side !== 'short')) return null
  const reduces = position.side === 'long' ? o.side === 'sell' : o.side === 'buy'
  if (!reduces) return null
  if (o.type.includes('take_profit')) return 'TP'
  return field === 'stopPrice' ? 'SL' : o.stopPrice === null ? 'TP' : 'SL'
}

export function buildLines(input: LineInputs): ChartLine[] {
  const { symbol, precision } = input
  const base = baseOf(symbol)
  // Dust below the lot step is no position: it has no entry line, and orders do not close it.
  const position = input.positions.find(
    (p) => p.symbol === symbol && (p.side === 'long' || p.side === 'short'),
  )
  const entry = position ? toChartPriceOrNull(position.averageEntry) : null
  const entryExact = position?.averageEntry != null ? Decimal.parse(position.averageEntry) : null
  const held = position ? Decimal.parse(position.amount) : Decimal.ZERO
  const lines: ChartLine[] = []

  for (const o of input.orders) {
    if (o.symbol !== symbol) continue
    const working = WORKING.includes(o.status)
    const unresolved = UNRESOLVED.includes(o.status)
    // A bracket's leg, stored with its entry and on no book until the entry is done.
    const waiting = o.status === 'waiting'
    if (!working && !unresolved && !waiting) continue
    const fields = (['stopPrice', 'price'] as const).filter((f) => toChartPriceOrNull(o[f]) !== null)
    const remaining = Decimal.max(Decimal.ZERO, Decimal.parse(o.amount).minus(Decimal.parse(o.filled)))
    const cancelling = input.cancelling.includes(o.clientOrderId)
    for (const field of fields) {
      const id = lineId(o.clientOrderId, field)
      const own = toChartPrice(o[field]!)
      const move = working ? input.moves[id] : undefined
      // A move the engine answered stays drawn until the order shows it (or is gone).
      const moving = move !== undefined && !(move.state === 'sent' && samePrice(own, move.price, precision))
      // The price exactly (the order's, or the move's), and where it is drawn.
      const exact = moving ? move.price : o[field]!
      const price = moving ? toChartPrice(move.price) : own
      const role = waiting ? (o.stopPrice === null ? 'TP' : 'SL') : roleOf(o, position, field)
      const tagBase = role ?? typeTag(o.type)
      const tag = fields.length === 2 && field === 'price' ? `${tagBase} LIMIT` : tagBase
      let note: string | null = null
      let noteTone: NoteTone | null = null
      let noteHelp: string | null = null
      if (waiting) {
        note = 'after entry'
        noteTone = 'muted'
        noteHelp = 'A bracket leg: it goes on the book, with its pair as one OCO, for what the entry fills'
      } else if (unresolved) {
        note = 'checking…'
        noteTone = 'muted'
        noteHelp = 'The exchange has not confirmed this order yet; Candlework is looking it up'
      } else if (cancelling) {
        note = 'canceling…'
        noteTone = 'muted'
      } else if (moving) {
        note = move.state === 'confirm' ? 'confirm…' : 'moving…'
        noteTone = 'muted'
      } else if (role !== null && entryExact !== null) {
        const qty = Decimal.min(remaining, held.abs())
        const gain = Decimal.parse(exact).minus(entryExact).times(qty)
        const pnl = held.isPositive() ? gain : gain.neg()
        note = formatSigned(pnl)
        noteTone = pnl.isNegative() ? 'loss' : 'profit'
        noteHelp = `P&L if it fills at ${formatPrice(exact, precision)}, against the position's average entry ${formatPrice(position!.averageEntry, precision)} (fees not included)`
      }
      const sideText = o.side === 'buy' ? 'BUY' : 'SELL'
      lines.push({
        id,
        kind: 'order',
        order: o,
        field,
        price,
        sideText,
        tag,
        size: formatQty(remaining),
        priceText: formatPrice(exact, precision),
        note,
        noteTone,
        noteHelp,
        tone: unresolved ? 'pending' : o.side,
        // A trailing stop's stop follows the price: it cannot be dragged to one.
        draggable: working && !cancelling && !moving && o.type !== 'trailing_stop',
        cancellable: (working || waiting) && !cancelling && !moving,
        describe: `${o.side} ${tag.toLowerCase()} ${formatQty(remaining)} ${base} at ${formatPrice(exact, precision)}`,
      })
    }
  }

  if (position && entry !== null) {
    const last = input.last
    // At the chart's last price (a double, taken as the decimal it is written as), over the lots.
    const pnl =
      last !== undefined && Number.isFinite(last) && last > 0
        ? unrealizedAt(position.lots, Decimal.fromNumber(last)).pnl
        : position.unrealizedPnl !== null
          ? Decimal.parse(position.unrealizedPnl)
          : null
    const long = held.isPositive()
    lines.push({
      id: `position:${symbol}`,
      kind: 'position',
      order: null,
      field: null,
      price: entry,
      sideText: long ? 'LONG' : 'SHORT',
      tag: 'POSITION',
      size: formatQty(held.abs()),
      priceText: formatPrice(position.averageEntry, precision),
      note: pnl === null ? null : `${formatSigned(pnl)} ${position.quote}`,
      noteTone: pnl === null ? null : pnl.isNegative() ? 'loss' : 'profit',
      noteHelp:
        'Unrealised P&L at the last price against the average entry of the open lots (fees not included)',
      tone: 'position',
      draggable: false,
      cancellable: false,
      describe: `${long ? 'long' : 'short'} ${formatQty(held.abs())} ${base} from ${formatPrice(position.averageEntry, precision)}`,
    })
  }
  // Top to bottom, as they stand on the chart.
  return lines.sort((a, b) => b.price - a.price || a.id.localeCompare(b.id))
}

/** Whether a price and a decimal string are the same price at the market's precision. */
export function samePrice(price: number, decimal: string, precision: number): boolean {
  return Math.abs(price - Number(decimal)) < 0.5 * 10 ** -precision
}
