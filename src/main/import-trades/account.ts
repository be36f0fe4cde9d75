import { randomBytes } from 'node:crypto'
import type { Db } from '../storage/database'
import { aMode } from '../trading/account-mode'
import { getAccount, listAccounts, saveAccount } from '../trading/store'

/** The account named cannot take imported fills. */
export class ImportAccountError extends Error {
  override readonly name = 'ImportAccountError'
}

/**
 * The imported account named `name` (by id, then name), made with mode `imported` when there is
 * none (`exchangeId` `paper`: the CLI names no exchange). Imported fills never go into a paper
 * or live account: their positions and balances come from their venue, and a fill from a file
 * would make them disagree with it. Call inside the import's transaction, so a failed import
 * does not leave a new, empty account behind.
 */
export function importAccount(db: Db, name: string, now: number): { id: string; name: string } {
  const account = findImportAccount(db, name)
  if (account) return account
  const id = `imported-${randomBytes(4).toString('hex')}`
  saveAccount(db, { id, name, mode: 'imported', exchangeId: 'paper', liveEnabled: false }, now)
  return { id, name }
}

/** The imported account `name` names (by id, then name), or null when an import would make it. */
export function findImportAccount(db: Db, name: string): { id: string; name: string } | null {
  const byId = getAccount(db, name)
  const found = byId ? [byId] : listAccounts(db).filter((a) => a.name === name)
  if (found.length > 1) {
    throw new ImportAccountError(`${found.length} accounts are named "${name}"; give the account's id`)
  }
  const account = found[0]
  if (account && account.mode !== 'imported') {
    throw new ImportAccountError(
      `"${name}" is ${aMode(account)} account; imported fills go into an imported account of their own (choose a new name)`,
    )
  }
  return account ? { id: account.id, name: account.name } : null
}
