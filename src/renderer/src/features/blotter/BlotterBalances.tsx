import type { Balance } from '../../../../shared/domain/trading'
import { DataTable, numberColumn, type Column } from './BlotterTable'
import { formatQty, formatStamp } from '../desk/format'
import { useTradingStore } from '../desk/store'

/** An amount at the asset's own places (USDT 2, BTC 5; cut, never more than is held), exact on hover. */
const held = (value: string, b: Balance) => <span title={value}>{formatQty(value, b.decimals)}</span>

const BALANCE_COLUMNS: Column<Balance>[] = [
  { header: 'Asset', className: 'bl-asset', cell: (b) => b.asset },
  numberColumn('Free', (b) => held(b.free, b), { testId: 'balance-free' }),
  numberColumn('In orders', (b) => held(b.used, b), { className: 'num bl-dim', testId: 'balance-used' }),
  numberColumn('Total', (b) => held(b.total, b), { testId: 'balance-total' }),
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
