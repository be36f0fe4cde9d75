import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import type { Position } from '../../shared/domain/trading'
import { toDecimal, type Decimal } from './decimal'
import { SymbolLedger, type PositionFill, type PositionMarket } from './positions'

/**
 * Every account's positions, kept up to date with its stored fills instead of replayed from all
 * of them on each request. Positions are asked for constantly (the risk engine values every
 * account every 2 s, the blotter after each fill, the order path for REDUCING); a replay of a
 * 100,000-fill book took about a second each time and held the engine's event loop for it.
 *
 * A book is built once, oldest fill first, in pages keyed by (time, rowid): `warmPositionLedgers`
 * reads a page per turn of the event loop (the first valuation after start-up on a big book),
 * and a synchronous caller in between finishes the build at once. It remembers how far it has
 * read trading_fills (the table's largest rowid when the build began, then when it last looked).
 * Fills stored since then are read by rowid, which costs nothing when none are new, and folded
 * in if none is older than the last one applied; a fill that arrives out of time order (an
 * exchange's late report) makes the account's book be built again, as FIFO needs. Deleting
 * fills (a paper reset, a deleted account) goes through trading/store.ts, which tells
 * `forgetPositions` (every book is rebuilt: rowids are reused). Fills are only ever written by
 * this process's engine and its command-line tools, which add rows and never delete them while
 * the app runs.
 */
interface Book {
  readonly ledgers: Map<string, SymbolLedger>
  /** trading_fills' largest rowid when this book last read it (while building: when it began). */
  readUpTo: number
  /** The last fill applied, by (time, rowid): where the next page starts; a newer fill older than it calls for a rebuild. */
  lastTime: number
  lastRowid: number
  built: boolean
}

interface FillRow {
  rid: number
  symbol: string
  side: 'buy' | 'sell'
  amount: string
  price: string
  fee_cost: string | null
  fee_currency: string | null
  time: number
}

interface PageParams {
  account: string
  upTo: number
  time: number
  rowid: number
  limit: number
}

/** Fills per page of a build spread over turns of the event loop (~5-15 ms of it each here). */
const PAGE = 1_000
const COLUMNS = 'rowid AS rid, symbol, side, amount, price, fee_cost, fee_currency, time'

const statements = perConnection((db) => ({
  books: new Map<string, Book>(),
  lastRowid: db.prepare<[], { m: number | null }>('SELECT MAX(rowid) AS m FROM trading_fills'),
  // The account's time index holds (time, rowid) in order: a page is a range of it.
  page: db.prepare<[PageParams], FillRow>(
    `SELECT ${COLUMNS} FROM trading_fills
      WHERE account_id = @account AND rowid <= @upTo AND time >= @time AND NOT (time = @time AND rowid <= @rowid)
      ORDER BY time, rowid LIMIT @limit`,
  ),
  // NOT INDEXED: a walk of the table from the last rowid read (nothing, when no fill is new),
  // where the account's time index would visit every fill of the account.
  since: db.prepare<[number, number, string], FillRow>(
    `SELECT ${COLUMNS} FROM trading_fills NOT INDEXED
      WHERE rowid > ? AND rowid <= ? AND account_id = ? ORDER BY time, rowid`,
  ),
}))

type Statements = ReturnType<typeof statements>

/** Every symbol's FIFO ledger of the account (positions.ts), up to its latest stored fill. */
export function positionLedgers(db: Db, accountId: string): ReadonlyMap<string, SymbolLedger> {
  const s = statements(db)
  let book = bookOf(s, accountId)
  while (!book.built) readPage(s, accountId, book, Number.MAX_SAFE_INTEGER)
  const upTo = s.lastRowid.get()?.m ?? 0
  if (upTo === book.readUpTo) return book.ledgers
  if (upTo > book.readUpTo) {
    const rows = s.since.all(book.readUpTo, upTo, accountId)
    if (rows.length === 0 || rows[0]!.time >= book.lastTime) {
      apply(book, rows)
      book.readUpTo = upTo
      return book.ledgers
    }
  }
  s.books.delete(accountId)
  book = bookOf(s, accountId)
  while (!book.built) readPage(s, accountId, book, Number.MAX_SAFE_INTEGER)
  return book.ledgers
}

/**
 * Builds the account's book a page per `turn` (none when it is built): for a first valuation
 * that must not hold the event loop.
 */
export async function warmPositionLedgers(
  db: Db,
  accountId: string,
  turn: () => Promise<void>,
  page = PAGE,
): Promise<void> {
  const s = statements(db)
  const book = bookOf(s, accountId)
  // Stops when the book is forgotten meanwhile, or the engine closes its database.
  while (!book.built && db.open && s.books.get(accountId) === book) {
    readPage(s, accountId, book, page)
    if (!book.built) await turn()
  }
}

function bookOf(s: Statements, accountId: string): Book {
  let book = s.books.get(accountId)
  if (!book) {
    const upTo = s.lastRowid.get()?.m ?? 0
    book = {
      ledgers: new Map(),
      readUpTo: upTo,
      lastTime: Number.MIN_SAFE_INTEGER,
      lastRowid: 0,
      built: false,
    }
    s.books.set(accountId, book)
  }
  return book
}

function readPage(s: Statements, accountId: string, book: Book, limit: number): void {
  const rows = s.page.all({
    account: accountId,
    upTo: book.readUpTo,
    time: book.lastTime,
    rowid: book.lastRowid,
    limit,
  })
  apply(book, rows)
  if (rows.length < limit) book.built = true
}

/** The account's ledger of one symbol, or null when it never traded it. */
export function positionLedger(db: Db, accountId: string, symbol: string): SymbolLedger | null {
  return positionLedgers(db, accountId).get(symbol) ?? null
}

/** The account's position in one symbol (flat when it never traded it). */
export function positionIn(
  db: Db,
  accountId: string,
  symbol: string,
  mark: Decimal | null = null,
  market: PositionMarket | null = null,
): Position {
  return (positionLedger(db, accountId, symbol) ?? new SymbolLedger(symbol)).position(accountId, mark, market)
}

/**
 * Called where fills are deleted: every book is built again on its next use, not only the
 * account's. Freed rowids are reused, so another account's new fills could take rowids a book
 * has already read past.
 */
export function forgetPositions(db: Db): void {
  statements(db).books.clear()
}

function apply(book: Book, rows: readonly FillRow[]): void {
  for (const r of rows) {
    let ledger = book.ledgers.get(r.symbol)
    if (!ledger) book.ledgers.set(r.symbol, (ledger = new SymbolLedger(r.symbol)))
    ledger.apply(toPositionFill(r))
    book.lastTime = r.time
    book.lastRowid = r.rid
  }
}

export function toPositionFill(r: Omit<FillRow, 'rid'>): PositionFill {
  return {
    symbol: r.symbol,
    side: r.side,
    amount: toDecimal(r.amount),
    price: toDecimal(r.price),
    fee:
      r.fee_currency !== null && r.fee_cost !== null
        ? { cost: toDecimal(r.fee_cost), currency: r.fee_currency }
        : null,
    time: r.time,
  }
}
