import { useShallow } from 'zustand/react/shallow'
import { Decimal } from '../../../../shared/decimal/decimal'
import type { Position } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { symbolKey, useTradeStore } from '../chart/store'
import { pricePrecision } from '../ticket/actions'
import { openClose } from '../ticket/close-actions'
import { DataTable, numberColumn, symbolColumn, type Column } from './BlotterTable'
import { closingOrder, unrealizedAt } from '../ticket/closing'
import { formatMoney, formatQty, formatSigned, placesOf, signOf } from '../desk/format'
import { onDemoMarket } from '../accounts/account-market'
import { selectAccount, selectOpenPositions, useTradingStore } from '../desk/store'
import { dustRows, dustVenueOf } from './dust'
import { openDust } from './dust-actions'
import { DustDialog } from './DustDialog'

/**
 * A position as shown: marked at the live demo price on paper accounts. The mark's P&L is summed
 * over the open lots exactly (closing.ts); only the percentage, a ratio, is a number.
 */
type MarkedPosition = Position & {
  shownMark: string | null
  shownUnrealized: string | null
  pct: number | null
  precision: number
}

function markPosition(p: Position, tick: number | undefined): MarkedPosition {
  // The chart's live price is a double; it becomes the decimal it is written as, once, here.
  const mark =
    tick !== undefined && tick > 0 ? Decimal.fromNumber(tick) : p.mark !== null ? Decimal.parse(p.mark) : null
  const precision = pricePrecision(p.symbol)
  if (mark === null) return { ...p, shownMark: null, shownUnrealized: p.unrealizedPnl, pct: null, precision }
  const { pnl, pct } = unrealizedAt(p.lots, mark)
  return { ...p, shownMark: mark.toString(), shownUnrealized: pnl.toString(), pct, precision }
}

const SIDE_LABELS: Record<Position['side'], string> = {
  long: 'Long',
  short: 'Short',
  dust: 'Dust',
  flat: 'Flat',
}
const SIDE_HELP: Partial<Record<Position['side'], string>> = {
  dust: 'Less than the market’s lot step: no order can trade it, so it is no open position (a fee taken in the coin leaves it)',
}

const POSITION_COLUMNS: Column<MarkedPosition>[] = [
  symbolColumn(),
  {
    header: 'Side',
    className: (p) => (p.side === 'long' ? 'up' : p.side === 'short' ? 'down' : 'flat'),
    testId: 'position-side',
    cell: (p) => <span title={SIDE_HELP[p.side]}>{SIDE_LABELS[p.side]}</span>,
  },
  {
    header: 'Amount',
    align: 'right',
    className: 'num',
    testId: 'position-amount',
    // At the market's lot step (what an order can trade), cut, never more than is held; exact on hover.
    cell: (p) => (
      <span title={`${p.amount} ${p.base}`}>
        {formatQty(p.amount, placesOf(p.amountStep))} <span className="bl-unit">{p.base}</span>
      </span>
    ),
  },
  numberColumn('Avg entry', (p) => formatPrice(p.averageEntry, p.precision)),
  numberColumn('Mark', (p) => formatPrice(p.shownMark, p.precision)),
  {
    header: <>Unrealized P&amp;L</>,
    headerTitle: '(mark − average entry) × amount over the open lots, at the last price',
    align: 'right',
    className: (p) => `num ${signOf(p.shownUnrealized)}`,
    testId: 'position-upnl',
    cell: (p) => (
      <span title={p.shownUnrealized ?? undefined}>
        {formatSigned(p.shownUnrealized)}
        {p.pct !== null && <span className="bl-pct"> {formatPercentShare(p.pct)}</span>}
      </span>
    ),
  },
  {
    header: <>Realized P&amp;L</>,
    headerTitle: 'Closed P&L net of every fee paid in base or quote',
    align: 'right',
    className: (p) => `num ${signOf(p.realizedPnl)}`,
    testId: 'position-rpnl',
    cell: (p) => <span title={p.realizedPnl}>{formatSigned(p.realizedPnl)}</span>,
  },
  numberColumn(
    'Fees',
    (p) => (
      <>
        {formatMoney(p.feesPaid)}
        {p.otherFees.map((f) => (
          <span key={f.currency}>
            {' '}
            + {formatQty(f.cost)} {f.currency}
          </span>
        ))}
      </>
    ),
    { className: 'num bl-dim' },
  ),
  numberColumn('Fills', (p) => p.fills, { className: 'num bl-dim' }),
  {
    // Unlabelled, so only the cell is right-aligned. Dust has nothing an order could close.
    className: 'r',
    cell: (p) => {
      if (p.side === 'dust') return <DustAction position={p} />
      const closing = closingOrder(p)
      if (closing === null) return null
      const dust = Decimal.parse(closing.dust)
      const left = dust.isZero() ? '' : `; ${closing.dust} ${p.base} below the lot step stays as dust`
      return (
        <button
          type="button"
          className="bl-action"
          data-testid="close-position"
          title={`Close ${closing.amount} ${p.base} at market${left}; resting orders that hold it are listed, and canceled with it (asks first)`}
          onClick={() => void openClose(p)}
        >
          Close…
        </button>
      )
    },
  },
]

/** The Positions tab. */
export function Positions() {
  const positions = useTradingStore(useShallow(selectOpenPositions))
  const state = useTradingStore((s) => s.lists.positions)
  const demoMarket = useTradingStore((s) => onDemoMarket(selectAccount(s)))
  // Positions on the demo market are marked at its last price, which ticks live here too; any
  // other account's at the engine's mark of its own market.
  const ticks = useTradeStore(
    useShallow((s) =>
      positions.map((p) => (demoMarket ? s.tickers[symbolKey('demo', p.symbol)]?.last : undefined)),
    ),
  )
  return (
    <>
      <DataTable
        testId="positions"
        rows={positions.map((p, i) => markPosition(p, ticks[i]))}
        columns={POSITION_COLUMNS}
        rowKey={(p) => p.symbol}
        rowData={(p) => ({
          'data-testid': 'position-row',
          'data-symbol': p.symbol,
          'data-amount': p.amount,
          'data-side': p.side,
        })}
        state={state}
        empty="No open positions."
      />
      <DustDialog />
    </>
  )
}

/**
 * Convert… on a dust row, where the account's venue converts (paper, Binance); elsewhere a
 * note saying why there is none. A short below the step owes coins: nothing to convert.
 */
function DustAction({ position: p }: { position: Position }) {
  const account = useTradingStore((s) => s.accounts.find((a) => a.id === p.accountId))
  const venue = dustVenueOf(account)
  const why =
    venue.kind === 'none'
      ? venue.reason
      : dustRows([p]).length === 0
        ? 'A short below the lot step owes coins: there is nothing to convert'
        : null
  if (why !== null) {
    return (
      <span className="bl-dim" data-testid="convert-dust-none" title={why}>
        Cannot convert
      </span>
    )
  }
  const into =
    venue.kind === 'binance' ? 'BNB (Binance’s rate, less its 2% fee)' : `${p.quote} at the bid less 2%`
  return (
    <button
      type="button"
      className="bl-action"
      data-testid="convert-dust"
      title={`Convert the dust below the lot step into ${into}; asks first`}
      onClick={() => openDust(p.accountId)}
    >
      Convert…
    </button>
  )
}

/** A P&L share of the cost, as a percentage with sign (`+1.25%`); a ratio, shown only. */
function formatPercentShare(pct: number): string {
  const shown = Math.abs(pct).toFixed(2)
  if (Number(shown) === 0) return `${shown}%`
  return `${pct > 0 ? '+' : '−'}${shown}%`
}
