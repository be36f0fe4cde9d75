import { describe, expect, it } from 'vitest'
import type { AccountMarket } from '../../../../shared/domain/account-market'
import type { SymbolInfo } from '../../../../shared/contract/market'
import { reasonWithRetry } from '../chart/market-scope'
import { ticketMarket, toScope, type TicketMarketInput } from './account-market'

const BTC = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  priceTick: '0.5',
  pricePrecision: 1,
  amountStep: '0.001',
  minAmount: '0.001',
  maxAmount: '9000',
  minNotional: '100',
  maxNotional: null,
  active: true,
}

const binance = (over: Partial<AccountMarket> = {}): AccountMarket => ({
  accountId: 'my-binance',
  exchangeId: 'binance',
  label: 'Binance',
  source: 'binance',
  simulated: false,
  state: 'ready',
  reason: null,
  detail: null,
  retryAt: null,
  now: 1_000_000,
  timeframes: ['1m', '15m'],
  markets: [BTC],
  ...over,
})

const demoBtc: SymbolInfo = {
  source: 'demo',
  sourceLabel: 'Demo (simulated)',
  symbol: 'BTC/USDT',
  simulated: true,
  live: true,
  timeframes: ['15m'],
  last: 77_147.31,
  change24h: 0,
  pricePrecision: 2,
}

const input = (over: Partial<TicketMarketInput>): TicketMarketInput => ({
  account: { id: 'my-binance', name: 'My Binance' },
  market: binance(),
  marketAt: 5_000,
  quote: null,
  selected: { source: 'binance', symbol: 'BTC/USDT' },
  symbols: [],
  now: 5_000,
  ...over,
})

describe('the market the ticket trades on', () => {
  it('is off with the engine’s reason and a countdown while the exchange’s markets are not loaded', () => {
    const down = binance({
      state: 'unavailable',
      reason: 'Binance markets not loaded: exchange unreachable',
      retryAt: 1_008_000,
      markets: [],
    })
    // Received at 5,000 on this page's clock; the engine said its next try is 8 s after its now.
    const t = ticketMarket(input({ market: down, now: 5_000 }))
    expect(t.block).toBe('Binance markets not loaded: exchange unreachable, retrying in 8 s')
    expect(t.last).toBeUndefined()
    expect(ticketMarket(input({ market: down, now: 9_100 })).block).toMatch(/retrying in 4 s$/)
    expect(ticketMarket(input({ market: down, now: 13_000 })).block).toMatch(/retrying now…$/)
    // A demo quote for the same symbol is no price of this account.
    const demoQuote = { accountId: 'demo-paper', symbol: 'BTC/USDT', last: '77147.31' }
    expect(ticketMarket(input({ market: down, quote: demoQuote })).last).toBeUndefined()
    expect(ticketMarket(input({ market: null })).block).toBe('Loading the account’s market…')
  })

  it('is off while the chart shows another market’s symbol', () => {
    const t = ticketMarket(input({ selected: { source: 'demo', symbol: 'BTC/USDT' }, symbols: [demoBtc] }))
    expect(t.block).toBe(
      '“My Binance” trades on Binance: the chart shows BTC/USDT from Demo (simulated); pick a Binance symbol',
    )
    expect(ticketMarket(input({ selected: { source: 'binance', symbol: 'PAXG/USDT' } })).block).toBe(
      'PAXG/USDT is not listed on Binance',
    )
  })

  it('takes its precision, tick and price from the account’s own market', () => {
    const quote = { accountId: 'my-binance', symbol: 'BTC/USDT', last: '50000' }
    const t = ticketMarket(input({ quote }))
    expect(t).toMatchObject({ block: null, precision: 1, tick: '0.5', last: '50000', market: BTC })
  })

  it('lists an exchange’s symbols for the trade view, and nothing for the demo market', () => {
    const scope = toScope(binance({ source: 'binance:custom' }), 5_000)!
    expect(scope.symbols).toEqual([
      expect.objectContaining({
        source: 'binance:custom',
        sourceLabel: 'Binance (custom)',
        pricePrecision: 1,
      }),
    ])
    expect(toScope(binance({ simulated: true, source: 'demo', exchangeId: 'paper' }), 0)).toBeNull()
  })

  it('says when the next try is, or that it is under way', () => {
    expect(reasonWithRetry('X markets not loaded: exchange unreachable', 10_400, 2_000)).toBe(
      'X markets not loaded: exchange unreachable, retrying in 9 s',
    )
    expect(reasonWithRetry('X markets not loaded: exchange unreachable', null, 2_000)).toBe(
      'X markets not loaded: exchange unreachable, retrying now…',
    )
    expect(reasonWithRetry('Loading X markets…', null, 0)).toBe('Loading X markets…')
  })
})
