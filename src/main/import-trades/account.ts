import type { Db } from '../storage/database'
import { getAccount, listAccounts } from '../trading/store'

/** The account named cannot take imported fills. */
export class ImportAccountError extends Error {
  override readonly name = 'ImportAccountError'
}

/**
 * The imported account named `name` (by id, then name). Imported fills never go into a paper
 * or live account: their positions and balances come from their venue, and a fill from a file
 * would make them disagree with it.
 */
export function importAccount(db: Db, name: string, _now: number): { id: string; name: string } {
  const found = getAccount(db, name) ?? listAccounts(db).find((a) => a.name === name)
  if (found) {
    throw new ImportAccountError(
      `"${name}" is a ${found.venue} account; imported fills go into an imported account of their own (choose a new name)`,
    )
  }
  throw new ImportAccountError(
    'this build cannot make an imported account yet (accounts gain the "imported" mode with migration 10)',
  )
}
