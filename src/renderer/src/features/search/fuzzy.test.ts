import { describe, expect, it } from 'vitest'
import { matchScore, rankMatches } from './fuzzy'

const SYMBOLS = ['ETH/BTC', 'BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'GOOG', 'GOOGL', 'BTCDOM/USDT', 'XRP/ETH']
const rank = (q: string): string[] => rankMatches(q, SYMBOLS, (s) => s)

describe('symbol search ranking', () => {
  it('puts the exact symbol or base asset first, then prefixes, substrings, fuzzy', () => {
    expect(rank('btc')).toEqual(['BTC/USDT', 'BTCDOM/USDT', 'ETH/BTC'])
    expect(rank('goog')).toEqual(['GOOG', 'GOOGL'])
    expect(rank('eth')).toEqual(['ETH/BTC', 'ETH/USDT', 'XRP/ETH'])
    // Letters in order: B…T…U of BTC/USDT (part starts count), and of BTCDOM/USDT further apart.
    expect(rank('bu')).toEqual(['BTC/USDT', 'BTCDOM/USDT'])
  })

  it('ignores case, spaces and separators', () => {
    expect(rank('btcusdt')[0]).toBe('BTC/USDT')
    expect(rank('BTC usdt')[0]).toBe('BTC/USDT')
    expect(rank('btc-usdt')[0]).toBe('BTC/USDT')
    expect(matchScore('btc/usdt', 'BTC/USDT')).toBe(matchScore('BTCUSDT', 'BTC/USDT'))
  })

  it('matches nothing when a letter is missing or out of order, and everything for an empty query', () => {
    expect(rank('xyz')).toEqual([])
    expect(matchScore('tb', 'BT')).toBeNull()
    expect(rank('')).toEqual(SYMBOLS)
  })

  it('orders by tier whatever the lengths', () => {
    const exact = matchScore('sol', 'SOL/USDT')!
    const prefix = matchScore('so', 'SOL/USDT')!
    const inner = matchScore('usd', 'SOL/USDT')!
    const fuzzy = matchScore('slt', 'SOL/USDT')!
    expect(exact).toBeGreaterThan(matchScore('goo', 'GOOGLEVERYLONGNAME')!)
    expect(matchScore('goo', 'GOOGLEVERYLONGNAME')!).toBeGreaterThan(inner)
    expect(prefix).toBeGreaterThan(inner)
    expect(inner).toBeGreaterThan(fuzzy)
    expect(fuzzy).toBeGreaterThan(0)
  })

  it('keeps the list order for equal scores (the demo market first)', () => {
    expect(rankMatches('btc', ['BTC/USDT#demo', 'BTC/USDT#binance'], (s) => s.split('#')[0]!)).toEqual([
      'BTC/USDT#demo',
      'BTC/USDT#binance',
    ])
  })
})
