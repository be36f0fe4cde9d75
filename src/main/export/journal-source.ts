import type { Db } from '../storage/database'
import { ExportError, type RowWriter } from './columns'
import { timeOrderedSource, type ExportFilter, type LineSource } from './sources'

/**
 * The id of the journal account named: an id the journal or trading knows, else a name the
 * journal keeps (also for an account deleted since; the journal never loses its trades).
 */
export function resolveJournalAccount(db: Db, account: string): string {
  const byId = db
    .prepare<[string, string], { id: string }>(
      `SELECT account_id AS id FROM journal_accounts WHERE account_id = ?
       UNION SELECT id FROM trading_accounts WHERE id = ?`,
    )
    .get(account, account)
  if (byId) return byId.id
  const byName = db
    .prepare<[string], { id: string }>('SELECT account_id AS id FROM journal_accounts WHERE name = ?')
    .all(account)
  if (byName.length === 1) return byName[0]!.id
  if (byName.length > 1)
    throw new ExportError(`--account: ${byName.length} accounts are named "${account}"; give its id`)
  const known = db
    .prepare<[], { id: string; name: string }>(
      'SELECT account_id AS id, name FROM journal_accounts ORDER BY name',
    )
    .all()
    .map((a) => (a.id === a.name ? a.id : `${a.name} (${a.id})`))
  throw new ExportError(
    `--account: no account "${account}" in the journal` +
      (known.length ? `; accounts: ${known.join(', ')}` : '; the journal has no trades yet'),
  )
}

/**
 * The CSV lines of the journal's trades (journal_trades as the journal last stored them, with
 * the trader's edits and the account's name, which the journal keeps after an account is
 * deleted), filtered on entry time, account by account, each in entry-time order: the order of
 * journal_trades_by_time, read a page at a time by keyset like fills and orders. SQLite reads each
 * cell from the stored JSON (trade-columns.ts); the `fills` column's subquery runs only when it
 * is chosen.
 */
export function journalTradesSource(db: Db, writer: RowWriter, filter: ExportFilter): LineSource {
  return timeOrderedSource(db, 'journal_trades', 'entry_time', 'key', writer, filter, {
    from: `FROM journal_trades t
      LEFT JOIN journal_accounts a ON a.account_id = t.account_id
      LEFT JOIN journal_edits e ON e.key = t.key`,
    resolve: resolveJournalAccount,
  })
}
