import { useShallow } from 'zustand/react/shallow'
import type { Position } from '../../../../shared/domain/trading'
import { direction, formatPrice } from '../../lib/format'
import { symbolKey, useTradeStore } from '../trade/store'
import { pricePrecision } from './actions'
import { openClose } from './close-actions'
import { DataTable, numberColumn, symbolColumn, type Column } from './BlotterTable'
import { formatMoney, formatQty, formatSigned } from './format'
import { onDemoMarket } from './account-market'
import { selectAccount, selectOpenPositions, useTradingStore } from './store'

/** A position as shown: marked at the live demo price on paper accounts. */
type MarkedPosition = Position & {
  shownMark: number | null
  shownUnrealized: number | null
  pct: number | null
  precision: number
}

function markPosition(p: Position, tick: number | undefined): MarkedPosition {
  const shownMark = tick ?? p.mark
  const shownUnrealized =
    shownMark !== null && p.averageEntry !== null ? (shownMark - p.averageEntry) * p.amount : p.unrealizedPnl
  const pct =
    shownUnrealized !== null && p.averageEntry
      ? (shownUnrealized / Math.abs(p.averageEntry * p.amount)) * 100
      : null
  return { ...p, shownMark, shownUnrealized, pct, precision: pricePrecision(p.symbol) }
}

const POSITION_COLUMNS: Column<MarkedPosition>[] = [
  symbolColumn(),
  {
    header: 'Side',
    className: (p) => (p.side === 'long' ? 'up' : p.side === 'short' ? 'down' : 'flat'),
    cell: (p) => (p.side === 'long' ? 'Long' : p.side === 'short' ? 'Short' : 'Flat'),
  },
  numberColumn(
    'Amount',
    (p) => (
      <>
        {formatQty(p.amount)} <span className="bl-unit">{p.base}</span>
      </>
    ),
    { testId: 'position-amount' },
  ),
  numberColumn('Avg entry', (p) => formatPrice(p.averageEntry, p.precision)),
  numberColumn('Mark', (p) => formatPrice(p.shownMark, p.precision)),
  {
    header: <>Unrealized P&amp;L</>,
    headerTitle: '(mark − average entry) × amount over the open lots, at the last price',
    align: 'right',
    className: (p) => `num ${direction(p.shownUnrealized)}`,
    testId: 'position-upnl',
    cell: (p) => (
      <>
        {formatSigned(p.shownUnrealized)}
        {p.pct !== null && <span className="bl-pct"> {formatSigned(p.pct)}%</span>}
      </>
    ),
  },
  {
    header: <>Realized P&amp;L</>,
    headerTitle: 'Closed P&L net of every fee paid in base or quote',
    align: 'right',
    className: (p) => `num ${direction(p.realizedPnl)}`,
    testId: 'position-rpnl',
    cell: (p) => formatSigned(p.realizedPnl),
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
    // Unlabelled, so only the cell is right-aligned.
    className: 'r',
    cell: (p) => (
      <button
        type="button"
        className="bl-action"
        data-testid="close-position"
        title="Close the whole position at market; resting orders that hold it are listed, and canceled with it (asks first)"
        onClick={() => void openClose(p)}
      >
        Close…
      </button>
    ),
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
    <DataTable
      testId="positions"
      rows={positions.map((p, i) => markPosition(p, ticks[i]))}
      columns={POSITION_COLUMNS}
      rowKey={(p) => p.symbol}
      rowData={(p) => ({ 'data-testid': 'position-row', 'data-symbol': p.symbol, 'data-amount': p.amount })}
      state={state}
      empty="No open positions."
    />
  )
}
