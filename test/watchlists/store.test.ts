import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { databaseFile } from '../../src/main/paths'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import {
  addWatchlistItem,
  createWatchlist,
  deleteWatchlist,
  listWatchlists,
  moveWatchlistItem,
  removeWatchlistItem,
  renameWatchlist,
} from '../../src/main/watchlists/store'
import type { Watchlist } from '../../src/shared/contract/watchlists'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const btc = { source: 'demo', symbol: 'BTC/USDT' }
const eth = { source: 'demo', symbol: 'ETH/USDT' }
const goog = { source: 'import', symbol: 'GOOG' }
const symbols = (w: Watchlist): string[] => w.items.map((i) => i.symbol)

describe('watchlist store', () => {
  it('creates, renames, fills, reorders and deletes lists, kept across a reopen', () => {
    const file = databaseFile(tempDir())
    let db = openDatabase(file)
    try {
      const crypto = createWatchlist(db, 'Crypto', 1)
      const stocks = createWatchlist(db, 'Stocks', 2)
      expect(() => createWatchlist(db, 'crypto', 3)).toThrow(/exists already/)
      expect(() => renameWatchlist(db, stocks.id, 'CRYPTO')).toThrow(/exists already/)
      expect(renameWatchlist(db, stocks.id, 'US stocks').name).toBe('US stocks')
      expect(renameWatchlist(db, crypto.id, 'crypto').name).toBe('crypto')

      addWatchlistItem(db, crypto.id, btc, 4)
      addWatchlistItem(db, crypto.id, eth, 5)
      addWatchlistItem(db, crypto.id, goog, 6)
      // Twice is once.
      expect(symbols(addWatchlistItem(db, crypto.id, btc, 7))).toEqual(['BTC/USDT', 'ETH/USDT', 'GOOG'])
      expect(symbols(moveWatchlistItem(db, crypto.id, goog, 0))).toEqual(['GOOG', 'BTC/USDT', 'ETH/USDT'])
      expect(symbols(moveWatchlistItem(db, crypto.id, goog, 99))).toEqual(['BTC/USDT', 'ETH/USDT', 'GOOG'])
      expect(symbols(moveWatchlistItem(db, crypto.id, eth, 0))).toEqual(['ETH/USDT', 'BTC/USDT', 'GOOG'])
      expect(symbols(removeWatchlistItem(db, crypto.id, btc))).toEqual(['ETH/USDT', 'GOOG'])
      expect(() => moveWatchlistItem(db, crypto.id, btc, 0)).toThrow(/not in this watchlist/)
      expect(() => addWatchlistItem(db, 999, btc, 8)).toThrow(/No watchlist 999/)
      addWatchlistItem(db, stocks.id, goog, 9)

      closeDatabase(db)
      db = openDatabase(file)
      expect(listWatchlists(db)).toEqual([
        { id: crypto.id, name: 'crypto', items: [eth, goog] },
        { id: stocks.id, name: 'US stocks', items: [goog] },
      ])
      expect(deleteWatchlist(db, crypto.id)).toBe(true)
      expect(deleteWatchlist(db, crypto.id)).toBe(false)
      expect(listWatchlists(db).map((w) => w.name)).toEqual(['US stocks'])
    } finally {
      closeDatabase(db)
    }
  })

  it('are commands with named-field errors, and every change streams the whole lists to every window', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    const a = memoryPair(engine.registry)
    const b = memoryPair(engine.registry)
    try {
      const seen: Watchlist[][] = []
      a.client.subscribe(
        'watchlists.updates',
        {},
        (e) => seen.push(e),
        () => {},
      )
      await new Promise((r) => setTimeout(r, 20))
      const made = await b.client.invoke('watchlists.create', { name: ' Majors ' })
      if (!made.ok) throw new Error(made.error.message)
      expect(made.value.name).toBe('Majors')
      await b.client.invoke('watchlists.addItem', { id: made.value.id, ...btc })
      const empty = await engine.registry.invoke('watchlists.create', { name: '' }, ctx)
      expect(empty).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.name' } })
      const dup = await engine.registry.invoke('watchlists.create', { name: 'majors' }, ctx)
      expect(dup).toMatchObject({ ok: false, error: { kind: 'conflict', path: 'params.name' } })
      const start = Date.now()
      while (seen.length < 2 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10))
      expect(seen.at(-1)).toEqual([{ id: made.value.id, name: 'Majors', items: [btc] }])
    } finally {
      a.disconnect()
      b.disconnect()
      await engine.close()
    }
  })
})
