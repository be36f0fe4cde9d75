import { Decimal } from '../../shared/decimal/decimal'
import type { Db } from '../storage/database'
import { tradeKey } from '../journal/round-trips'
import { addEdit, saveImported } from '../journal/store'
import { insertFill } from '../trading/store'
import { dedupe, fillKey, idKey, type Duplicate, type StoredKeys } from './dedupe'
import type { ImportedTrade, TradeRow } from './trade-row'

/** The keys of an account's stored fills (read once per import). */
export function storedKeys(db: Db, accountId: string): StoredKeys {
  const ids = new Set<string>()
  const fills = new Set<string>()
  const rows = db
    .prepare<
      [string],
      { symbol: string; trade_id: string; time: number; side: string; price: string; amount: string }
    >('SELECT symbol, trade_id, time, side, price, amount FROM trading_fills WHERE account_id = ?')
    .iterate(accountId)
  for (const r of rows) {
    ids.add(idKey(r.symbol, r.trade_id))
    fills.add(fillKey(r))
  }
  return { ids, fills }
}

/**
 * A trade id for a row whose file has none (Binance's export, Tradervue): made from what makes
 * the fill itself, so importing the same file again finds the same ids.
 */
export const madeTradeId = (r: TradeRow): string => `imported:${r.time}:${r.side}:${r.price}:${r.amount}`

/**
 * Writes the rows as fills of `accountId` in one transaction, skipping duplicates (dedupe.ts).
 * A fill without an order id is its own order (its trade id). Cost without one in the file is
 * amount × price, exactly.
 *
 * A trades file's `trades` are written in the same transaction under their journal key (the
 * account, symbol, time and trade id of the first fill, as the journal keys the trade it builds):
 * what the file said about each trade (journal_imported) and the trader's edit, the latter only
 * where the trade has none, so an import never overwrites what the trader wrote since.
 */
export function writeTrades(
  db: Db,
  accountId: string,
  rows: readonly TradeRow[],
  now: number,
  trades: readonly ImportedTrade[] = [],
): { written: number; duplicates: Duplicate[] } {
  return db.transaction(() => {
    const { fresh, duplicates } = dedupe(rows, storedKeys(db, accountId))
    let written = 0
    for (const r of fresh) {
      const tradeId = r.tradeId ?? madeTradeId(r)
      const cost = r.cost ?? Decimal.parse(r.amount).times(Decimal.parse(r.price)).toString()
      const inserted = insertFill(
        db,
        {
          accountId,
          tradeId,
          exchangeOrderId: r.orderId ?? tradeId,
          clientOrderId: r.clientOrderId,
          symbol: r.symbol,
          side: r.side,
          amount: r.amount,
          price: r.price,
          cost,
          fee: r.fee,
          takerOrMaker: r.takerOrMaker,
          time: r.time,
        },
        now,
      )
      if (inserted) written++
    }
    for (const t of trades) {
      const key = tradeKey(accountId, t.symbol, t.time, t.tradeId)
      saveImported(db, key, t.facts)
      if (t.edit) addEdit(db, key, t.edit, now)
    }
    return { written, duplicates }
  })()
}
