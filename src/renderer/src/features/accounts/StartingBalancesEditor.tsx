import { useId } from 'react'
import type { StartingRow } from '../desk/store'

/**
 * A paper account's starting balances, one row per asset (USDT 10,000 and BTC 0.5). Amounts are
 * typed as traders write them (`0,5` and `0.5` alike) and read by `lib/number-input` when saved,
 * into exact decimal strings; problems show on their row.
 */
export function StartingBalancesEditor({
  rows,
  errors,
  onEdit,
  onAdd,
  onRemove,
  disabled = false,
}: {
  rows: readonly StartingRow[]
  errors: Readonly<Record<number, string>>
  onEdit: (index: number, patch: Partial<StartingRow>) => void
  onAdd: () => void
  onRemove: (index: number) => void
  disabled?: boolean
}) {
  const labelId = useId()
  return (
    <div className="acc-start" role="group" aria-labelledby={labelId} data-testid="starting-balances">
      <div className="tk-acc-label" id={labelId}>
        Starting balances
      </div>
      {rows.map((row, i) => (
        <div
          key={i}
          className={`acc-start-row${errors[i] ? ' acc-start-invalid' : ''}`}
          data-testid="starting-row"
        >
          <input
            className="tk-acc-input acc-start-asset"
            aria-label={`Asset ${i + 1}`}
            data-testid="starting-asset"
            value={row.asset}
            placeholder="USDT"
            maxLength={16}
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            onChange={(e) => onEdit(i, { asset: e.target.value.toUpperCase() })}
          />
          <input
            className="tk-acc-input acc-start-amount"
            aria-label={`Amount of ${row.asset || `asset ${i + 1}`}`}
            data-testid="starting-amount"
            inputMode="decimal"
            value={row.amount}
            placeholder="0"
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            aria-invalid={errors[i] !== undefined}
            onChange={(e) => onEdit(i, { amount: e.target.value })}
          />
          <button
            type="button"
            className="btn btn-small acc-start-remove"
            aria-label={`Remove ${row.asset || `asset ${i + 1}`}`}
            data-testid="starting-remove"
            disabled={disabled || rows.length <= 1}
            onClick={() => onRemove(i)}
          >
            ×
          </button>
          {errors[i] && (
            <div className="tk-acc-error acc-start-error" role="alert" data-testid="starting-error">
              {errors[i]}
            </div>
          )}
        </div>
      ))}
      <button
        type="button"
        className="btn btn-small acc-start-add"
        data-testid="starting-add"
        disabled={disabled || rows.length >= 20}
        onClick={onAdd}
      >
        + Add asset
      </button>
    </div>
  )
}
