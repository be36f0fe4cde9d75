import type { Balance } from '../../../../shared/domain/trading'
import { DataTable, numberColumn, type Column } from './BlotterTable'
import { formatQty, formatStamp } from './format'
import { useTradingStore } from './store'

const BALANCE_COLUMNS: Column<Balance>[] = [
  { header: 'Asset', className: 'bl-asset', cell: (b) => b.asset },
  numberColumn('Free', (b) => formatQty(b.free)),
  numberColumn('In orders', (b) => formatQty(b.used), { className: 'num bl-dim' }),
  numberColumn('Total', (b) => formatQty(b.total)),
]

/** The Balances tab. */
export function Balances() {
  const balances = useTradingStore((s) => s.balances)
  const state = useTradingStore((s) => s.lists.balances)
  return (
    <DataTable
      testId="balances"
      rows={balances?.balances ?? []}
      columns={BALANCE_COLUMNS}
      rowKey={(b) => b.asset}
      rowData={(b) => ({ 'data-testid': 'balance-row', 'data-asset': b.asset })}
      state={state}
      empty="No balances."
      above={
        balances?.stale && (
          <div className="bl-stale">
            Last snapshot from the exchange at {formatStamp(balances.asOf)}: it may be out of date.
          </div>
        )
      }
    />
  )
}
