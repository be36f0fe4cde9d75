import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { overrideApiUrls, restrictToSpot } from '../../src/main/exchange/ccxt-loader'
import {
  addFetchedRange,
  defaultConnection,
  listConnections,
  readConnection,
  readFetchedRanges,
  sourceOf,
  writeConnection,
} from '../../src/main/exchange/schema'
import { closeDatabase } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'
import { openExchangeDb } from './support'

const newDir = useTempDirs()
const MIN = 60_000
const next = (t: number) => t + MIN

describe('exchange connections and fetched ranges', () => {
  it('stores connection settings (and only a masked key id)', () => {
    const db = openExchangeDb(newDir())
    expect(readConnection(db, 'binance')).toBeNull()
    const c = {
      ...defaultConnection('binance'),
      apiUrl: 'http://127.0.0.1:1234',
      maskedKey: 'abcd…wxyz',
      websocket: false,
    }
    writeConnection(db, c, 1)
    writeConnection(db, { ...defaultConnection('kraken'), sandbox: true }, 2)
    expect(readConnection(db, 'binance')).toEqual(c)
    expect(listConnections(db).map((x) => [x.exchange, sourceOf(x)])).toEqual([
      ['binance', 'binance:custom'],
      ['kraken', 'kraken:sandbox'],
    ])
    expect(sourceOf(defaultConnection('okx'))).toBe('okx')
    closeDatabase(db)
  })

  it('merges fetched ranges that overlap or touch, and keeps apart those that do not', () => {
    const db = openExchangeDb(newDir())
    const key = { source: 'binance', symbol: 'BTC/USDT', timeframe: '1m' as const }
    addFetchedRange(db, key, { first: 10 * MIN, last: 19 * MIN }, next, 0)
    addFetchedRange(db, key, { first: 30 * MIN, last: 39 * MIN }, next, 0)
    addFetchedRange(db, key, { first: 50 * MIN, last: 59 * MIN }, next, 0)
    expect(readFetchedRanges(db, key)).toHaveLength(3)
    addFetchedRange(db, key, { first: 20 * MIN, last: 29 * MIN }, next, 0) // touches both neighbours
    expect(readFetchedRanges(db, key)).toEqual([
      { first: 10 * MIN, last: 39 * MIN },
      { first: 50 * MIN, last: 59 * MIN },
    ])
    addFetchedRange(db, key, { first: 0, last: 55 * MIN }, next, 0) // swallows everything
    expect(readFetchedRanges(db, key)).toEqual([{ first: 0, last: 59 * MIN }])
    expect(readFetchedRanges(db, { ...key, timeframe: '5m' })).toEqual([])
    closeDatabase(db)
  })
})

describe('pointing ccxt elsewhere', () => {
  it('replaces the origin of every REST URL and keeps the paths', () => {
    const api = {
      public: 'https://api.binance.com/api/v3',
      fapiPublic: 'https://fapi.binance.com/fapi/v1',
      nested: { rest: 'https://api.{hostname}/v2', ws: 'wss://stream.binance.com:9443/ws' },
      list: ['https://a.example/x'],
    }
    expect(overrideApiUrls(api, 'http://127.0.0.1:5000/')).toEqual({
      public: 'http://127.0.0.1:5000/api/v3',
      fapiPublic: 'http://127.0.0.1:5000/fapi/v1',
      nested: { rest: 'http://127.0.0.1:5000/v2', ws: 'wss://stream.binance.com:9443/ws' },
      list: ['http://127.0.0.1:5000/x'],
    })
    expect(overrideApiUrls('https://api.kraken.com', 'https://proxy.local/k')).toBe('https://proxy.local/k')
  })

  it('narrows market loading to spot, in each of ccxt’s option shapes', () => {
    const binance: Record<string, unknown> = {
      fetchMarkets: { types: ['spot', 'linear', 'inverse'], loadAllOptions: false },
      defaultType: 'future',
      fetchCurrencies: true,
      fetchMargins: true,
    }
    restrictToSpot(binance)
    expect(binance).toEqual({
      fetchMarkets: { types: ['spot'], loadAllOptions: false },
      defaultType: 'spot',
      fetchCurrencies: false,
      fetchMargins: false,
    })
    const mexc: Record<string, unknown> = { fetchMarkets: { types: { spot: true, swap: { linear: true } } } }
    restrictToSpot(mexc)
    expect(mexc).toEqual({ fetchMarkets: { types: { spot: true } } })
    const other: Record<string, unknown> = {
      fetchMarkets: ['spot', 'swap'],
      fetchCurrencies: { expires: 5000 },
    }
    restrictToSpot(other)
    expect(other).toEqual({ fetchMarkets: ['spot'], fetchCurrencies: { expires: 5000 } })
  })
})

describe('ccxt is loaded lazily', () => {
  it('no module of the exchange or secrets domains imports ccxt at load time (type imports only)', () => {
    const root = join(__dirname, '../../src/main')
    const files = ['exchange', 'secrets'].flatMap((d) =>
      readdirSync(join(root, d)).map((f) => join(root, d, f)),
    )
    expect(files.length).toBeGreaterThan(5)
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      const valueImports = text.match(/^import\s+(?!type\b)[^'"]*?from\s+'ccxt'/gm) ?? []
      expect(valueImports, f).toEqual([])
    }
    // The one way in is the dynamic import in the loader.
    expect(readFileSync(join(root, 'exchange/ccxt-loader.ts'), 'utf8')).toMatch(/import\('ccxt'\)/)
  })
})
