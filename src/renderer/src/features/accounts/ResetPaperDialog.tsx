import { useEffect, useState } from 'react'
import type { StartingBalance } from '../../../../shared/domain/starting-balances'
import type { Account } from '../../../../shared/domain/trading'
import { inputLocale, toInputText } from '../../lib/number-input'
import { fetchStartingBalances } from './account-form-actions'
import { openReset, resetPaper } from './actions'
import { ConfirmForm, Modal } from '../desk/Modal'
import { readStartingRows } from './starting-rows'
import { StartingBalancesEditor } from './StartingBalancesEditor'
import { selectAccount, useTradingStore, type StartingRow } from '../desk/store'

const same = (a: readonly StartingBalance[], b: readonly StartingBalance[]): boolean =>
  a.length === b.length && a.every((x, i) => x.asset === b[i]?.asset && x.amount === b[i]?.amount)

/**
 * The reset's form, made afresh each time the dialog opens: the account's starting balances are
 * read from the engine, shown to be kept or changed (new ones are kept from then on).
 */
function ResetForm({ account }: { account: Account | undefined }) {
  const accountId = account?.mode === 'paper' ? account.id : null
  const [stored, setStored] = useState<StartingBalance[] | null>(null)
  const [rows, setRows] = useState<StartingRow[]>([])
  const [errors, setErrors] = useState<Record<number, string>>({})
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (accountId === null) return
    let live = true
    void fetchStartingBalances(accountId).then((start) => {
      if (!live) return
      setStored(start)
      const locale = inputLocale()
      setRows(start.map((b) => ({ asset: b.asset, amount: toInputText(b.amount, locale) })))
    })
    return () => {
      live = false
    }
  }, [accountId])

  const confirm = async (): Promise<void> => {
    const read = readStartingRows(rows, inputLocale())
    if (!read.ok) {
      setErrors(read.errors)
      return
    }
    setBusy(true)
    // Unchanged: the stored ones, as they are.
    const refused = await resetPaper(stored && same(read.value, stored) ? undefined : read.value)
    setBusy(false)
    if (refused) {
      const row = /startingBalances\[(\d+)\]/.exec(refused.path ?? '')
      setErrors({ [row ? Number(row[1]) : 0]: refused.message.replace(/^params\.[^:]*: /, '') })
    }
  }

  return (
    <ConfirmForm onConfirm={() => void confirm()} badge="PAPER" question={`Reset “${account?.name ?? ''}”?`}>
      <p className="tk-dialog-text">
        Cancels its open orders, forgets its orders, fills and positions, and sets its balances to these
        starting balances. Live accounts are never touched.
      </p>
      {stored === null ? (
        <p className="tk-dialog-text">Reading its starting balances…</p>
      ) : (
        <StartingBalancesEditor
          rows={rows}
          errors={errors}
          disabled={busy}
          onEdit={(i, patch) => {
            setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)))
            setErrors({})
          }}
          onAdd={() => setRows((r) => [...r, { asset: '', amount: '' }])}
          onRemove={(i) => {
            setRows((r) => r.filter((_, j) => j !== i))
            setErrors({})
          }}
        />
      )}
      <div className="tk-dialog-actions">
        <button type="button" className="btn" onClick={() => openReset(false)} autoFocus>
          Keep
        </button>
        <button
          type="submit"
          className="btn tk-btn-solid tk-btn-warn"
          data-testid="reset-confirm-button"
          disabled={stored === null || busy}
        >
          Reset balance
        </button>
      </div>
    </ConfirmForm>
  )
}

/** Confirms resetting the paper account: orders and fills are forgotten, balances set to its starting ones. */
export function ResetPaperDialog() {
  const open = useTradingStore((s) => s.resetOpen)
  const account = useTradingStore(selectAccount)
  return (
    <Modal
      open={open}
      onCancel={() => openReset(false)}
      label="Reset paper account"
      tone="neutral"
      testId="reset-confirm"
    >
      <ResetForm account={account} />
    </Modal>
  )
}
