import { describe, expect, it } from 'vitest'
import type { Fill } from '../../../../shared/domain/trading'
import { orderMarkers } from './markers'
import { buildRequest, EMPTY_FORM, parseNumber, splitSymbol } from './store'
import { formatQty, formatSigned } from './format'

describe('the ticket reads what the trader typed', () => {
  it('accepts positive decimals with thousands separators, refuses anything else', () => {
    expect(parseNumber('0.01')).toBe(0.01)
    expect(parseNumber('1,234.5')).toBe(1234.5)
    expect(parseNumber(' 75 000 ')).toBe(75000)
    expect(parseNumber('.5')).toBe(0.5)
    expect(parseNumber('1e-3')).toBe(0.001)
    for (const bad of ['', '0', '-1', 'abc', '1.2.3', 'NaN', 'Infinity', '1e999']) {
      expect(parseNumber(bad), bad).toBeUndefined()
    }
  })

  it('builds exactly one of amount or notional, and the price fields the type needs', () => {
    const base = { ...EMPTY_FORM, size: '0.5' }
    expect(buildRequest('a', 'BTC/USDT', base).request).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: 0.5,
    })
    expect(buildRequest('a', 'BTC/USDT', { ...base, sizeMode: 'notional', size: '100' }).request).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      notional: 100,
    })
    // A market order never carries a stale price from an earlier limit.
    expect(buildRequest('a', 'BTC/USDT', { ...base, price: '1', stopPrice: '2' }).request).not.toHaveProperty(
      'price',
    )
    expect(buildRequest('a', 'BTC/USDT', { ...base, type: 'limit', price: '60000' }).request).toMatchObject({
      price: 60000,
    })
    expect(
      buildRequest('a', 'BTC/USDT', { ...base, type: 'stop', stopPrice: '70000' }).request,
    ).toMatchObject({
      stopPrice: 70000,
    })
  })

  it('says what is missing instead of sending an incomplete order', () => {
    expect(buildRequest(null, 'BTC/USDT', EMPTY_FORM).missing).toBe('Choose an account')
    expect(buildRequest('a', null, EMPTY_FORM).missing).toBe('Choose a symbol')
    expect(buildRequest('a', 'BTC/USDT', EMPTY_FORM).missing).toBe('Enter a size')
    expect(buildRequest('a', 'BTC/USDT', { ...EMPTY_FORM, size: 'x' }).missing).toBe(
      'The size is not a positive number',
    )
    expect(buildRequest('a', 'BTC/USDT', { ...EMPTY_FORM, size: '1', type: 'limit' }).missing).toBe(
      'Enter a limit price',
    )
    expect(buildRequest('a', 'BTC/USDT', { ...EMPTY_FORM, size: '1', type: 'stop' }).missing).toBe(
      'Enter a stop price',
    )
  })

  it('splits symbols and formats amounts and P&L', () => {
    expect(splitSymbol('BTC/USDT')).toEqual({ base: 'BTC', quote: 'USDT' })
    expect(splitSymbol('BTC/USDT:USDT')).toEqual({ base: 'BTC', quote: 'USDT' })
    expect(formatQty(0.01232766)).toBe('0.01232766')
    expect(formatQty(0.05)).toBe('0.05')
    expect(formatQty(10000)).toBe('10,000.00')
    expect(formatSigned(3.456)).toBe('+3.46')
    expect(formatSigned(-0.5)).toBe('−0.50')
    expect(formatSigned(0.001)).toBe('0.00')
  })
})

describe('order markers', () => {
  const fill = (
    time: number,
    side: 'buy' | 'sell',
    amount: number,
    price: number,
    symbol = 'BTC/USDT',
  ): Fill => ({
    accountId: 'a',
    tradeId: `${time}-${side}-${amount}`,
    exchangeOrderId: '1',
    clientOrderId: null,
    symbol,
    side,
    amount,
    price,
    cost: amount * price,
    fee: null,
    takerOrMaker: 'taker',
    time,
  })
  const t0 = Date.UTC(2026, 0, 5, 10, 0)

  it('puts one marker per bar and side at the amount-weighted price, sorted by time', () => {
    const fills = [
      fill(t0 + 20 * 60_000, 'sell', 1, 110),
      fill(t0 + 60_000, 'buy', 1, 100),
      fill(t0 + 14 * 60_000, 'buy', 3, 104),
      fill(t0 + 2 * 60_000, 'buy', 1, 1, 'ETH/USDT'),
    ]
    const m = orderMarkers(fills, { symbol: 'BTC/USDT', timeframe: '15m' })
    expect(m).toHaveLength(2)
    // Both buys fall in the 10:00 bar: 4 BTC at (100 + 3 × 104) / 4 = 103.
    expect(m[0]).toMatchObject({ time: t0 / 1000, position: 'atPriceBottom', shape: 'arrowUp', price: 103 })
    expect(m[0]!.text).toBe('Bought 4')
    expect(m[1]).toMatchObject({ time: (t0 + 15 * 60_000) / 1000, position: 'atPriceTop', price: 110 })
    expect(m[1]!.text).toBe('Sold 1')
  })
})
