import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import {
  validateOrder as check,
  type OrderInput,
  type ValidationContext,
} from '../../src/main/trading/validation'
import type { VenueBalance } from '../../src/main/trading/venue'
import { BTC, d, ETH, text } from './support'

/** The checked order as its text (what the contract would send). */
const validateOrder = (input: OrderInput, ctx: ValidationContext) => text(check(input, ctx))

const balance = (free: number, used: number): VenueBalance => ({
  free: d(free),
  used: d(used),
  total: d(free + used),
})

const quoteOf = (bid: number, ask: number, last: number) => ({ bid: d(bid), ask: d(ask), last: d(last) })

function refusal(
  input: OrderInput,
  ctx: ValidationContext,
): { kind: string; message: string; path?: string } {
  try {
    check(input, ctx)
  } catch (err) {
    if (err instanceof AppError) return { kind: err.kind, message: err.message, path: err.path }
    throw err
  }
  throw new Error('expected a refusal')
}

const rich = new Map<string, VenueBalance>([
  ['USDT', balance(1_000_000, 0)],
  ['BTC', balance(100, 0)],
])

describe('pre-trade validation', () => {
  it('says by how much an order misses the minimum notional', () => {
    const r = refusal(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.00005', price: '84000' },
      { market: BTC, venue: 'paper' },
    )
    expect(r).toEqual({
      kind: 'invalid_order',
      message: 'notional 4.20 USDT is below the minimum 5 USDT by 0.80',
      path: 'params.amount',
    })
  })

  it('refuses an amount that rounds down to zero at the step', () => {
    const r = refusal(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.000004', price: '84000' },
      { market: BTC },
    )
    expect(r.message).toBe('amount 0.000004 BTC rounds down to 0 at the step 0.00001 BTC')
  })

  it('refuses an amount below the minimum and above the maximum, saying by how much', () => {
    const eth = { ...ETH, minAmount: d('0.001') }
    expect(
      refusal(
        { symbol: 'ETH/USDT', side: 'sell', type: 'limit', amount: '0.0005', price: '20000' },
        { market: eth },
      ).message,
    ).toBe('amount 0.0005 ETH is below the minimum 0.001 ETH by 0.0005')
    expect(
      refusal(
        { symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '9001', price: '1' },
        { market: BTC },
      ).message,
    ).toBe('amount 9001.00000 BTC is above the maximum 9000 BTC by 1.00000')
  })

  it('refuses above the maximum notional', () => {
    const r = refusal(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '100', price: '90001' },
      { market: BTC },
    )
    expect(r.message).toBe('notional 9000100.00 USDT is above the maximum 9000000 USDT by 100.00')
  })

  it.each([
    ['NaN', Number.NaN, 'NaN'],
    ['a JSON number', 0.1, '0.1'],
    ['an exponent', '1e-5', '"1e-5"'],
    ['a comma', '0,1', '"0,1"'],
  ])('refuses an amount that is not decimal text: %s', (_label, amount, shown) => {
    const r = refusal(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: amount as string, price: '100' },
      { market: BTC },
    )
    expect(r).toEqual({
      kind: 'validation',
      message: `params.amount: a decimal number as text, such as "0.1", got ${shown}`,
      path: 'params.amount',
    })
  })

  it.each([['-1'], ['0'], ['0.000']])('refuses an amount of %s', (amount) => {
    const r = refusal(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount, price: '100' },
      { market: BTC },
    )
    expect(r).toEqual({
      kind: 'invalid_order',
      message: `amount must be greater than zero, got ${d(amount).toString()}`,
      path: 'params.amount',
    })
  })

  it('refuses a non-finite price and stop price', () => {
    expect(
      refusal({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1', price: 'NaN' }, { market: BTC })
        .path,
    ).toBe('params.price')
    expect(
      refusal(
        { symbol: 'BTC/USDT', side: 'buy', type: 'stop', amount: '1', stopPrice: '-5' },
        { market: BTC },
      ).path,
    ).toBe('params.stopPrice')
  })

  it('refuses unknown symbols, missing prices and both or neither of amount and notional', () => {
    expect(
      refusal(
        { symbol: 'DOGE/USDT', side: 'buy', type: 'market', amount: '1' },
        { market: undefined, venue: 'paper' },
      ),
    ).toEqual({
      kind: 'invalid_order',
      message: 'Unknown symbol DOGE/USDT on paper',
      path: 'params.symbol',
    })
    expect(
      refusal({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1' }, { market: BTC }).path,
    ).toBe('params.price')
    expect(
      refusal({ symbol: 'BTC/USDT', side: 'buy', type: 'stop', amount: '1' }, { market: BTC }).path,
    ).toBe('params.stopPrice')
    expect(
      refusal(
        { symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1', notional: '10' },
        { market: BTC },
      ).message,
    ).toMatch(/either an amount/)
    expect(refusal({ symbol: 'BTC/USDT', side: 'buy', type: 'market' }, { market: BTC }).message).toMatch(
      /either an amount/,
    )
  })

  it('cannot check a market order without a price', () => {
    expect(
      refusal({ symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' }, { market: BTC }).kind,
    ).toBe('unavailable')
  })

  it('rounds amounts down and limit prices in the trader’s favour, and says so', () => {
    const buy = validateOrder(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.123456', price: '100.019' },
      { market: BTC, balances: rich },
    )
    expect(buy.amount).toBe('0.12345')
    expect(buy.price).toBe('100.01')
    expect(buy.adjustments).toEqual([
      'price rounded down from 100.019 to 100.01 (tick 0.01)',
      'amount rounded down from 0.123456 to 0.12345 (step 0.00001)',
    ])
    const sell = validateOrder(
      { symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '0.1', price: '100.011' },
      { market: BTC, balances: rich },
    )
    expect(sell.price).toBe('100.02')
    expect(sell.requires).toEqual({ asset: 'BTC', amount: '0.1' })
    const stop = validateOrder(
      { symbol: 'BTC/USDT', side: 'sell', type: 'stop', amount: '0.1', stopPrice: '99.996' },
      { market: BTC },
    )
    expect(stop.stopPrice).toBe('100')
  })

  it('converts a notional to an amount at the ask for market buys, rounding down', () => {
    const n = validateOrder(
      { symbol: 'BTC/USDT', side: 'buy', type: 'market', notional: '100' },
      { market: BTC, quote: quoteOf(29_990, 30_000, 29_995), balances: rich },
    )
    // 100 / 30000 = 0.0033333.. -> 0.00333; 0.00333 * 30000 = 99.9, exactly
    expect(n.amount).toBe('0.00333')
    expect(n.notional).toBe('99.9')
    expect(n.referencePrice).toBe('30000')
    expect(n.feeRate).toBe('0.001')
  })

  it('uses the maker fee for a resting limit and the taker fee for a marketable one', () => {
    const maker = { ...BTC, makerFee: d('0.0002'), takerFee: d('0.0007') }
    const quote = quoteOf(99, 101, 100)
    const resting = validateOrder(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1', price: '100' },
      { market: maker, quote },
    )
    const crossing = validateOrder(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1', price: '102' },
      { market: maker, quote },
    )
    expect(resting.feeRate).toBe('0.0002')
    expect(crossing.feeRate).toBe('0.0007')
  })

  it('says how short the free balance is', () => {
    const poor = new Map<string, VenueBalance>([
      ['USDT', balance(9000, 500)],
      ['BTC', balance(0.05, 0)],
    ])
    expect(
      refusal(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.2', price: '50000' },
        { market: BTC, balances: poor },
      ),
    ).toEqual({
      kind: 'insufficient_funds',
      message: 'buying 0.20000 BTC needs 10000.00 USDT, 9000.00 USDT is free: short by 1000.00',
      path: 'params.amount',
    })
    expect(
      refusal(
        { symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '0.06', price: '50000' },
        { market: BTC, balances: poor },
      ).message,
    ).toBe('selling 0.06000 BTC needs 0.06000 BTC, 0.05000 BTC is free: short by 0.01000')
  })
})
