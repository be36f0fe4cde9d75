import type { Fill } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { pricePrecision } from '../ticket/actions'
import { DataTable, numberColumn, sideColumn, symbolColumn, timeColumn, type Column } from './BlotterTable'
import { formatMoney, formatQty } from '../desk/format'
import { useTradingStore } from '../desk/store'

const FILL_COLUMNS: Column<Fill>[] = [
  timeColumn((f) => f.time),
  symbolColumn(),
  sideColumn(),
  numberColumn('Price', (f) => formatPrice(f.price, pricePrecision(f.symbol))),
  numberColumn('Amount', (f) => formatQty(f.amount), { testId: 'fill-amount' }),
  numberColumn('Cost', (f) => (
    <>
      {formatMoney(f.cost)} <span className="bl-unit">{f.symbol.split('/')[1] ?? ''}</span>
    </>
  )),
  numberColumn('Fee', (f) => (f.fee ? `${formatQty(f.fee.cost)} ${f.fee.currency}` : '—'), {
    className: 'num bl-dim',
  }),
  {
    header: 'Role',
    className: 'bl-dim',
    testId: 'fill-role',
    // A conversion is no trade of the book: it has no taker or maker, and says what it was.
    cell: (f) =>
      f.reason === 'dust_conversion' ? (
        <span title="Dust below the lot step, converted by the venue (Convert… in Positions)">
          Dust converted
        </span>
      ) : (
        (f.takerOrMaker ?? '')
      ),
  },
]

/** The Fills tab. */
export function Fills() {
  const fills = useTradingStore((s) => s.fills)
  const state = useTradingStore((s) => s.lists.fills)
  return (
    <DataTable
      testId="fills"
      rows={fills}
      columns={FILL_COLUMNS}
      rowKey={(f) => `${f.symbol}\u0000${f.tradeId}`}
      rowData={(f) => ({
        'data-testid': 'fill-row',
        'data-symbol': f.symbol,
        'data-side': f.side,
        'data-amount': f.amount,
        'data-reason': f.reason,
      })}
      state={state}
      empty="No fills yet."
    />
  )
}
