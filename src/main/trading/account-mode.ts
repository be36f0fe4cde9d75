import { AppError } from '../../shared/contract/errors'
import type { StoredAccount } from './store'

/**
 * Imported accounts hold fills imported from a file (a trade history from elsewhere): they have
 * no venue, so nothing may place, change or cancel an order on them, and the engine's background
 * work (start-up reconciliation, exchange polling, paper fills) leaves them alone.
 */
export function assertPlacesOrders(account: Pick<StoredAccount, 'name' | 'mode'>): void {
  if (account.mode !== 'imported') return
  throw new AppError(
    'validation',
    `${account.name} holds imported trades; it cannot place orders`,
    'params.accountId',
  )
}

/** "a paper", "a live", "an imported": for messages naming what an account is. */
export const aMode = (account: Pick<StoredAccount, 'mode'>): string =>
  account.mode === 'imported' ? 'an imported' : `a ${account.mode}`
