import type { StartingBalance } from '../../../../shared/domain/starting-balances'
import { parseDecimal } from '../../lib/number-input'
import type { StartingRow } from '../desk/store'

/** A new paper account's starting balances until the trader changes them: 10,000 USDT. */
export const DEFAULT_STARTING_ROWS: readonly StartingRow[] = [{ asset: 'USDT', amount: '10000' }]

export type ReadRows = { ok: true; value: StartingBalance[] } | { ok: false; errors: Record<number, string> }

/**
 * The starting balances the trader typed, as exact decimal strings (`lib/number-input`: `0,5`
 * and `0.5` alike, ambiguous text refused, never scaled), or a problem per row. Rows left
 * entirely empty are skipped; asset codes are upper-cased.
 */
export function readStartingRows(rows: readonly StartingRow[], locale: string): ReadRows {
  const errors: Record<number, string> = {}
  const value: StartingBalance[] = []
  const seen = new Set<string>()
  rows.forEach((row, i) => {
    const asset = row.asset.trim().toUpperCase()
    const amountText = row.amount.trim()
    if (asset === '' && amountText === '') return
    if (asset === '') {
      errors[i] = 'Enter the asset, e.g. USDT'
      return
    }
    if (!/^[A-Z0-9][A-Z0-9._-]{0,15}$/.test(asset)) {
      errors[i] = `${asset}: an asset code is letters and digits, e.g. USDT or BTC`
      return
    }
    if (seen.has(asset)) {
      errors[i] = `${asset} is listed twice`
      return
    }
    seen.add(asset)
    const amount = parseDecimal(amountText, locale)
    if (!amount.ok) {
      errors[i] = amount.empty ? `Enter the ${asset} amount` : `${asset}: ${amount.message}`
      return
    }
    value.push({ asset, amount: amount.value })
  })
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  if (value.length === 0) return { ok: false, errors: { 0: 'Enter at least one starting balance' } }
  if (!value.some((b) => !/^0(\.0*)?$/.test(b.amount))) {
    return { ok: false, errors: { 0: 'At least one starting balance must be above zero' } }
  }
  return { ok: true, value }
}

/** Rows for the editor from stored starting balances. */
export const rowsOf = (balances: readonly StartingBalance[]): StartingRow[] =>
  balances.map((b) => ({ asset: b.asset, amount: b.amount }))
