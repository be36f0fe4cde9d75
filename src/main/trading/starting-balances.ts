import { startingBalancesSchema, type StartingBalance } from '../../shared/domain/starting-balances'
import type { Db } from '../storage/database'
import type { PaperSettings } from './paper-settings'

/**
 * A paper account's starting balances, one per asset, as the exact decimal strings the trader
 * typed. They live in the `settings` table under `paper-start:<accountId>` (a JSON list), beside
 * the single `starting_asset`/`starting_amount` of `paper_settings`, which keeps the first of them:
 * more than one asset needed somewhere to live, and a settings row needs no migration. An account
 * without a row starts with its `paper_settings` amount alone (every account made before this).
 */
export const startingBalancesKey = (accountId: string): string => `paper-start:${accountId}`

/** The starting balances of a paper account: its stored list, else its settings' one asset. */
export function loadStartingBalances(
  db: Db,
  accountId: string,
  settings: Pick<PaperSettings, 'startingAsset' | 'startingAmount'>,
): StartingBalance[] {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get(startingBalancesKey(accountId))
  if (row) {
    const parsed = startingBalancesSchema.safeParse(safeJson(row.value))
    if (parsed.success) return parsed.data
  }
  return [{ asset: settings.startingAsset, amount: settings.startingAmount }]
}

/** Records the starting balances a paper account was created or reset with. */
export function saveStartingBalances(
  db: Db,
  accountId: string,
  balances: readonly StartingBalance[],
  now: number,
): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(startingBalancesKey(accountId), JSON.stringify(balances), now)
}

export function deleteStartingBalances(db: Db, accountId: string): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(startingBalancesKey(accountId))
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
