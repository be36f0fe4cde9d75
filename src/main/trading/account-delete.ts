import { AppError } from '../../shared/contract/errors'
import type { AccountDeletion } from '../../shared/contract/trading'
import type { Db } from '../storage/database'
import {
  accountActivityCounts,
  deleteAccountRows,
  ordersWithStatus,
  type ActiveStatus,
  type StoredAccount,
} from './store'
import { deleteStartingBalances } from './starting-balances'

const OPEN: readonly ActiveStatus[] = ['open', 'partially_filled']
const UNRESOLVED: readonly ActiveStatus[] = ['pending', 'sent', 'unknown']

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * Deleting an account (`trading.deleteAccount`): the rules, then every row of it. Run inside one
 * transaction, so no order can slip in between the check and the delete. Nothing is sent to an
 * exchange: an account whose orders may still be live there is refused instead, since deleting
 * it would leave them working with no record here.
 */
export function deleteAccountChecked(
  db: Db,
  account: StoredAccount,
  opts: { confirm?: boolean | undefined; dryRun: boolean; builtIn: boolean },
): AccountDeletion {
  if (opts.builtIn) {
    throw new AppError(
      'validation',
      `"${account.name}" is built in and cannot be deleted; reset it from the blotter to start again`,
      'params.accountId',
    )
  }
  const open = ordersWithStatus(db, account.id, OPEN).length
  const unresolved = ordersWithStatus(db, account.id, UNRESOLVED).length
  if (open + unresolved > 0) {
    const what = [
      open > 0 ? plural(open, 'open order') : null,
      unresolved > 0 ? `${plural(unresolved, 'order')} whose outcome is not known yet` : null,
    ]
      .filter((x) => x !== null)
      .join(' and ')
    const todo = [
      open > 0 ? `cancel ${open === 1 ? 'it' : 'them'} first` : null,
      unresolved > 0 ? 'wait until the unresolved ones are resolved (or reconcile)' : null,
    ]
      .filter((x) => x !== null)
      .join(' and ')
    throw new AppError(
      'conflict',
      `"${account.name}" has ${what}; ${todo}, then delete the account. Deleting never cancels anything on an exchange.`,
      'params.accountId',
    )
  }
  if (!opts.dryRun && opts.confirm !== true) {
    throw new AppError(
      'validation',
      `Deleting "${account.name}" removes its orders and fills for good; it needs confirm: true (the app asks first)`,
      'params.confirm',
    )
  }
  const counts = accountActivityCounts(db, account.id)
  const deleted = !opts.dryRun && deleteAccountRows(db, account.id)
  if (deleted) deleteStartingBalances(db, account.id)
  return { accountId: account.id, name: account.name, mode: account.mode, deleted, ...counts }
}
