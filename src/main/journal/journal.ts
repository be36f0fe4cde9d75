import type { JournalTrade, MatchingMethod } from '../../shared/contract/journal'
import { matchingMethodSchema } from '../../shared/contract/journal'
import type { Fill } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Db } from '../storage/database'
import type { JournalAccounts } from './ports'
import { fillOrder, PairBook, type RawTrade, type SourceFill } from './round-trips'
import * as store from './store'
import {
  enrich,
  present,
  type EnrichPorts,
  type ImportedFacts,
  type StoredTrade,
  type TraderEdit,
} from './trade'
import { nextTurn } from '../next-turn'

const METHOD_SETTING = 'journal-method'
/** Set while a sliced catch-up has deleted and not yet rewritten trades: the next start redoes it. */
const PENDING_SETTING = 'journal-catch-up-pending'
/**
 * trading_fills rows per copy slice, and fills per rebuild slice, of `catchUpInSlices`: each
 * slice holds the event loop ~5-20 ms here, so the host answers between two.
 */
export const COPY_SLICE = 1_000
export const REBUILD_SLICE = 500

export type JournalChange =
  { type: 'trades'; trades: JournalTrade[] } | { type: 'rebuilt'; method: MatchingMethod }

export interface JournalDeps extends EnrichPorts {
  db: Db
  clock: Clock
  accounts: JournalAccounts
}

const pairOf = (accountId: string, symbol: string) => `${accountId}\u0000${symbol}`

/**
 * The journal's state: every trade in memory (the list and analytics read it, 100,000 trades
 * filter and sort in tens of milliseconds), journal_trades on disk, and the running book of
 * each (account, symbol) a fill has touched since start.
 *
 * Incremental and rebuilt trades are the same by construction: both apply each (account,
 * symbol)'s fills in (time, seq) order through one `PairBook`; a fill that arrives older than
 * the last one applied to its pair replays that pair from its stored fills.
 */
export class Journal {
  private method: MatchingMethod
  /** Every stored trade by key, read at first use (`trades`). */
  private loaded: Map<string, StoredTrade> | null = null
  private edits: Map<string, TraderEdit>
  /** What imported trades files said (journal_imported), the fallback of the lookups. */
  private imported: Map<string, ImportedFacts>
  private readonly names: Map<string, { name: string; source: string }>
  private readonly books = new Map<string, PairBook>()
  /** Exit time of each pair's last closed trade: a stop order older than it belongs to an earlier trade. */
  private readonly lastExit = new Map<string, number>()
  private readonly presented = new Map<string, JournalTrade>()
  private readonly listeners = new Set<(c: JournalChange) => void>()
  /** What `save` looks up with: the deps, or during a rebuild the same with the signal profile read once. */
  private lookups: EnrichPorts
  /** While a sliced catch-up runs: the pairs fills arrived for meanwhile, rebuilt when it ends. */
  private slicing: { late: Set<string> } | null = null
  /** Counts whole rebuilds: a sliced catch-up that sees it change stops (the rebuild did its work). */
  private generation = 0
  /** Each account's currency, read once per rebuild (null outside one: read at each save). */
  private currencies: Map<string, string | null> | null = null

  constructor(private readonly deps: JournalDeps) {
    const { db } = deps
    this.lookups = deps
    this.method = matchingMethodSchema.catch('fifo').parse(store.readSetting(db, METHOD_SETTING) ?? 'fifo')
    this.edits = store.loadEdits(db)
    this.imported = store.loadImported(db)
    this.names = store.savedAccounts(db)
  }

  /**
   * The stored trades, read at their first use rather than at start-up: a trade holds its fills,
   * and a book of a few open trades with tens of thousands of fills each took ~0.1 s to read
   * before the host could answer. The catch-up after start reads them at the latest.
   */
  private get trades(): Map<string, StoredTrade> {
    if (this.loaded) return this.loaded
    const { trades, oldRows } = store.loadTrades(this.deps.db)
    this.loaded = new Map(trades.map((t) => [t.key, t]))
    // Rows of the layout before store.TRAILING_FIELDS are rebuilt once, by the catch-up after start.
    if (oldRows) store.writeSetting(this.deps.db, PENDING_SETTING, '1', this.deps.clock.now())
    return this.loaded
  }

  /** Copies fills recorded while the journal was not listening (the first start, the CLI); rebuilds when there were any. */
  catchUp(): void {
    if (store.copyMissingFills(this.deps.db) > 0) this.rebuild()
  }

  /**
   * The same as `catchUp`, a slice at a time, for the first catch-up after start: on a book of
   * 100,000 fills it is ~2 s of work, which in one piece kept the host from answering anything.
   * What happens when:
   * 1. Fills of trading_fills the journal lacks are copied, COPY_SLICE rows of trading_fills per
   *    transaction, a turn of the event loop (`turn`, setImmediate) between two.
   * 2. If any were copied (or an earlier sliced catch-up was cut short, PENDING_SETTING), each
   *    (account, symbol) is rebuilt in turn: its old trades deleted, then its fills applied
   *    REBUILD_SLICE at a time, one transaction and one turn each. Between slices the list shows
   *    the pairs done so far rebuilt and the current one partly rebuilt.
   * 3. Fills that arrive meanwhile are copied at once and their pairs rebuilt whole at the end
   *    (a pair's running book is not touched in between); then `rebuilt` is sent.
   * A full `rebuild` in between (the trader's) does all of it: the sliced catch-up stops. A crash
   * in between leaves PENDING_SETTING set, so the next start rebuilds again.
   */
  async catchUpInSlices(turn: () => Promise<void> = nextTurn): Promise<void> {
    if (this.slicing) return
    const { db } = this.deps
    const generation = this.generation
    // A full rebuild in between, or the engine closing its database (a stop during start-up).
    const cut = () => generation !== this.generation || !db.open
    // Reading the trades finds rows of an older layout, which sets PENDING_SETTING read below.
    void this.trades
    this.slicing = { late: new Set() }
    try {
      const last = store.lastTradingFillRowid(db)
      let copied = 0
      for (let after = 0; after < last; after += COPY_SLICE) {
        copied += store.copyMissingFillsIn(db, after, after + COPY_SLICE)
        await turn()
        if (cut()) return
      }
      if (copied === 0 && store.readSetting(db, PENDING_SETTING) !== '1') return
      store.writeSetting(db, PENDING_SETTING, '1', this.deps.clock.now())
      const pairs = store.fillPairs(db)
      const kept = new Set(pairs.map(([a, s]) => pairOf(a, s)))
      // Trades of pairs that no longer have fills go, as in a rebuild.
      db.transaction(() => {
        for (const t of [...this.trades.values()])
          if (!kept.has(pairOf(t.accountId, t.symbol))) this.forget(t.key)
      })()
      for (const [accountId, symbol] of pairs) {
        if (!(await this.rebuildPairInSlices(accountId, symbol, turn, cut))) return
      }
      store.writeSetting(db, PENDING_SETTING, '0', this.deps.clock.now())
      this.emit({ type: 'rebuilt', method: this.method })
    } finally {
      const late = cut() ? [] : [...this.slicing.late]
      this.slicing = null
      for (const pair of late) {
        const [accountId = '', symbol = ''] = pair.split('\u0000')
        const changed = db.transaction(() => this.rebuildPair(accountId, symbol))()
        if (changed.length > 0) this.emit({ type: 'trades', trades: changed.map((t) => this.view(t)) })
      }
    }
  }

  /** One pair of `catchUpInSlices`; false when a whole rebuild cut it short. */
  private async rebuildPairInSlices(
    accountId: string,
    symbol: string,
    turn: () => Promise<void>,
    cut: () => boolean,
  ): Promise<boolean> {
    const { db } = this.deps
    const pair = pairOf(accountId, symbol)
    const previous = new Map<string, StoredTrade>()
    for (const t of this.trades.values())
      if (t.accountId === accountId && t.symbol === symbol) previous.set(t.key, t)
    const book = new PairBook(accountId, symbol, this.method)
    db.transaction(() => {
      for (const key of previous.keys()) this.forget(key)
    })()
    this.lastExit.delete(pair)
    this.books.set(pair, book)
    // A page of the pair's fills per slice (a pair can hold all 100,000: read at once, ~0.4 s).
    for (let after: SourceFill | null = null, done = false; !done;) {
      const fills = store.pairFillsPage(db, accountId, symbol, after, REBUILD_SLICE)
      after = fills.at(-1) ?? after
      done = fills.length < REBUILD_SLICE
      const pinned = this.deps.signals.pinned?.()
      this.lookups = pinned ? { ...this.deps, signals: pinned } : this.deps
      this.currencies = new Map()
      try {
        db.transaction(() => {
          for (const f of fills)
            for (const raw of book.apply(f))
              if (raw.status === 'closed') this.save(raw, previous.get(raw.key))
          if (done && book.open) this.save(book.open, previous.get(book.open.key))
        })()
      } finally {
        this.lookups = this.deps
        this.currencies = null
      }
      await turn()
      if (cut()) return false
    }
    return true
  }

  /** Removes one trade from memory and disk (its edits stay). */
  private forget(key: string): void {
    this.trades.delete(key)
    this.presented.delete(key)
    store.deleteTrade(this.deps.db, key)
  }

  /**
   * After an import wrote fills, edits and imported facts beside the running journal: reads the
   * edits and facts again, then copies the new fills and rebuilds.
   */
  afterImport(): void {
    this.edits = store.loadEdits(this.deps.db)
    this.imported = store.loadImported(this.deps.db)
    this.presented.clear()
    this.catchUp()
  }

  get matching(): MatchingMethod {
    return this.method
  }

  subscribe(listener: (c: JournalChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Every trade as the contract sends it. */
  all(): Iterable<JournalTrade> {
    if (this.presented.size !== this.trades.size) for (const t of this.trades.values()) this.view(t)
    return this.presented.values()
  }

  get(key: string): { trade: JournalTrade; stored: StoredTrade; source: string } | null {
    const t = this.trades.get(key)
    if (!t) return null
    return { trade: this.view(t), stored: t, source: this.account(t.accountId).source }
  }

  /** Saves the trader's edit of a trade and tells subscribers. */
  edit(key: string, edit: TraderEdit): JournalTrade | null {
    const t = this.trades.get(key)
    if (!t) return null
    store.saveEdit(this.deps.db, key, edit, this.deps.clock.now())
    this.edits.set(key, edit)
    this.presented.delete(key)
    const trade = this.view(t)
    this.emit({ type: 'trades', trades: [trade] })
    return trade
  }

  editOf(key: string): TraderEdit | null {
    return this.edits.get(key) ?? null
  }

  /** A fill trading just recorded: copied, applied to its pair, the changed trades stored and sent. */
  onFill(fill: Fill): void {
    const { db } = this.deps
    const changed = db.transaction(() => {
      const copy = store.copyFill(db, fill)
      if (!copy) return []
      this.remember(fill.accountId)
      if (this.slicing) {
        // A sliced catch-up is rebuilding: the pair is rebuilt whole when it ends.
        this.slicing.late.add(pairOf(copy.accountId, copy.symbol))
        return []
      }
      const pair = pairOf(copy.accountId, copy.symbol)
      const book = this.books.get(pair)
      if (!book || (book.last && fillOrder(copy, book.last) < 0))
        return this.rebuildPair(copy.accountId, copy.symbol)
      return book.apply(copy).map((raw) => this.save(raw, this.trades.get(raw.key)))
    })()
    if (changed.length > 0) this.emit({ type: 'trades', trades: changed.map((t) => this.view(t)) })
  }

  /** Every trade again from the journal's fills (after copying any it lacks), edits kept. */
  rebuild(method: MatchingMethod = this.method): { trades: number; fills: number } {
    const { db } = this.deps
    const pinned = this.deps.signals.pinned?.()
    if (pinned) this.lookups = { ...this.deps, signals: pinned }
    this.currencies = new Map()
    this.generation++
    this.slicing?.late.clear()
    const result = db.transaction(() => {
      store.copyMissingFills(db)
      if (store.readSetting(db, PENDING_SETTING) === '1')
        store.writeSetting(db, PENDING_SETTING, '0', this.deps.clock.now())
      if (method !== this.method) store.writeSetting(db, METHOD_SETTING, method, this.deps.clock.now())
      this.method = method
      const previous = new Map(this.trades)
      this.trades.clear()
      this.presented.clear()
      this.books.clear()
      this.lastExit.clear()
      store.deleteAllTrades(db)
      let book: PairBook | null = null
      let fills = 0
      const pending = new Map<string, RawTrade>()
      const flush = () => {
        for (const raw of pending.values()) this.save(raw, previous.get(raw.key))
        pending.clear()
      }
      for (const f of store.allFills(db)) {
        fills++
        if (!book || book.accountId !== f.accountId || book.symbol !== f.symbol) {
          flush()
          book = new PairBook(f.accountId, f.symbol, method)
          this.books.set(pairOf(f.accountId, f.symbol), book)
        }
        for (const raw of book.apply(f)) {
          if (raw.status === 'closed') {
            pending.delete(raw.key)
            this.save(raw, previous.get(raw.key))
          } else pending.set(raw.key, raw)
        }
      }
      flush()
      return { trades: this.trades.size, fills }
    })
    let counts: { trades: number; fills: number }
    try {
      counts = result()
    } finally {
      this.lookups = this.deps
      this.currencies = null
    }
    this.emit({ type: 'rebuilt', method: this.method })
    return counts
  }

  private rebuildPair(accountId: string, symbol: string): StoredTrade[] {
    const pair = pairOf(accountId, symbol)
    const previous = new Map<string, StoredTrade>()
    for (const t of this.trades.values())
      if (t.accountId === accountId && t.symbol === symbol) previous.set(t.key, t)
    for (const key of previous.keys()) {
      this.trades.delete(key)
      this.presented.delete(key)
      store.deleteTrade(this.deps.db, key)
    }
    this.lastExit.delete(pair)
    const book = new PairBook(accountId, symbol, this.method)
    this.books.set(pair, book)
    const seen = new Map<string, RawTrade>()
    for (const f of store.pairFills(this.deps.db, accountId, symbol)) {
      for (const raw of book.apply(f)) {
        seen.set(raw.key, raw)
        if (raw.status === 'closed') this.save(raw, previous.get(raw.key))
      }
    }
    const open = book.open
    if (open) this.save(open, previous.get(open.key))
    return [...seen.values()].map((r) => this.trades.get(r.key)!)
  }

  /** Enriches and stores one trade (the pair's previous exit is what a stop must be newer than). */
  private save(raw: RawTrade, previous: StoredTrade | undefined): StoredTrade {
    const pair = pairOf(raw.accountId, raw.symbol)
    const source = this.account(raw.accountId).source
    const t = enrich(raw, this.lookups, {
      source,
      previous,
      since: this.lastExit.get(pair) ?? 0,
      imported: this.imported.get(raw.key),
      currency: this.currencyOf(raw.accountId),
    })
    if (raw.status === 'closed' && raw.exitTime !== null) this.lastExit.set(pair, raw.exitTime)
    store.saveTrade(this.deps.db, t)
    this.trades.set(t.key, t)
    this.presented.delete(t.key)
    return t
  }

  private currencyOf(accountId: string): string | null {
    const read = () => this.deps.accounts.currencyOf?.(accountId) ?? null
    if (!this.currencies) return read()
    let c = this.currencies.get(accountId)
    if (c === undefined) {
      c = read()
      this.currencies.set(accountId, c)
    }
    return c
  }

  private view(t: StoredTrade): JournalTrade {
    let v = this.presented.get(t.key)
    if (!v) {
      v = present(t, this.edits.get(t.key) ?? null, this.account(t.accountId).name)
      this.presented.set(t.key, v)
    }
    return v
  }

  /** Keeps the account's name and market as they are now, for when the account is gone. */
  private remember(accountId: string): void {
    const now = this.deps.accounts.describe(accountId)
    if (!now) return
    const known = this.names.get(accountId)
    if (known && known.name === now.name && known.source === now.source) return
    store.saveAccount(this.deps.db, accountId, now)
    this.names.set(accountId, now)
  }

  private account(accountId: string): { name: string; source: string } {
    let a = this.names.get(accountId)
    if (!a) {
      this.remember(accountId)
      a = this.names.get(accountId) ?? { name: accountId, source: 'demo' }
    }
    return a
  }

  private emit(c: JournalChange): void {
    for (const l of this.listeners) {
      try {
        l(c)
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }
}
