import { describe, expect, it } from 'vitest'
import type { Position } from '../../../../shared/domain/trading'
import { dustOutcome, dustRows, dustVenueOf } from './dust'

const account = (mode: 'paper' | 'live' | 'imported', exchangeId: string) => ({
  mode,
  exchangeId,
  name: 'Mine',
})

describe('which venues convert dust', () => {
  it('paper and Binance do; other exchanges and imported accounts say why not', () => {
    expect(dustVenueOf(account('paper', 'paper')).kind).toBe('paper')
    expect(dustVenueOf(account('paper', 'kraken')).kind).toBe('paper')
    expect(dustVenueOf(account('live', 'binance')).kind).toBe('binance')
    expect(dustVenueOf(account('live', 'kraken'))).toEqual({
      kind: 'none',
      reason: 'Kraken does not convert small balances; sell them when they reach the lot step',
    })
    expect(dustVenueOf(account('imported', 'binance'))).toMatchObject({ kind: 'none', reason: /imported/ })
  })

  it('says what happens in the venue’s words', () => {
    expect(dustOutcome({ kind: 'binance' }, 'USDT')).toBe(
      'Converted to BNB at Binance’s rate, less its 2% fee. This cannot be undone.',
    )
    expect(dustOutcome({ kind: 'paper' }, 'USDT')).toBe('Sold into USDT at the bid less 2%.')
  })
})

describe('the dust a conversion takes', () => {
  const pos = (symbol: string, side: Position['side'], amount: string) =>
    ({ symbol, side, amount, base: symbol.split('/')[0], quote: symbol.split('/')[1] }) as Position

  it('is long dust only: not a short below the step, an open position or a flat one', () => {
    expect(
      dustRows([
        pos('BTC/USDT', 'dust', '0.00000766'),
        pos('ETH/USDT', 'dust', '-0.0001'),
        pos('SOL/USDT', 'long', '2'),
        pos('XRP/USDT', 'flat', '0'),
      ]),
    ).toEqual([{ symbol: 'BTC/USDT', asset: 'BTC', quote: 'USDT', amount: '0.00000766' }])
  })
})
