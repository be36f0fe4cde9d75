import { addStartingRow, editAccountField, editStartingRow, removeStartingRow } from './account-form-actions'
import { AccountField } from './AccountField'
import { ExchangePicker } from './ExchangePicker'
import { StartingBalancesEditor } from './StartingBalancesEditor'
import type { AccountEditor } from '../desk/store'

/**
 * A paper account's part of the editor: the prices it trades on (the demo market, or an
 * exchange's public prices) and, for a new one, its starting balances.
 */
export function PaperAccountFields({ editor }: { editor: AccountEditor }) {
  const adding = editor.id === null
  return (
    <>
      <AccountField
        label="Prices"
        hint="the demo market, or an exchange’s public prices"
        error={editor.errors.exchangeId}
        field="exchangeId"
      >
        {(id) => (
          <ExchangePicker
            id={id}
            value={editor.exchangeId}
            allowDemo
            invalid={editor.errors.exchangeId !== undefined}
            onChange={(x) => editAccountField({ exchangeId: x })}
          />
        )}
      </AccountField>
      {adding ? (
        <StartingBalancesEditor
          rows={editor.startingBalances}
          errors={editor.startingErrors}
          disabled={editor.saving}
          onEdit={editStartingRow}
          onAdd={addStartingRow}
          onRemove={removeStartingRow}
        />
      ) : null}
      <p className="tk-dialog-text">
        Simulated fills: no keys, no real funds, no order ever leaves Candlework.{' '}
        {adding
          ? 'Reset it from the blotter to start again, with these balances or new ones.'
          : 'Its starting balances are set when you reset it (Reset paper… in the blotter).'}
      </p>
    </>
  )
}
