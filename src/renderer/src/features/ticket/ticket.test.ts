import { describe, expect, it } from 'vitest'
import type { Fill } from '../../../../shared/domain/trading'
import { orderMarkers } from '../blotter/markers'
import {
  buildRequest,
  EMPTY_FORM,
  formatEngineMessage,
  parsePositive,
  splitSymbol,
  stopSideProblem,
  ticketVerdict,
  requestSig,
  type TicketCheck,
} from './request'
import { formatQty, formatSigned } from '../desk/format'

describe('the ticket reads what the trader typed', () => {
  it('reads 0,1 as a tenth and 0,5 as a half, never 1 or 5 (issue 12, finding 2)', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR']) {
      const at = (size: string) => buildRequest('a', 'ETH/USDT', { ...EMPTY_FORM, size }, locale).request
      expect(at('0,1'), locale).toMatchObject({ amount: '0.1' })
      expect(at('0,5'), locale).toMatchObject({ amount: '0.5' })
      expect(at('  0,1 '), locale).toMatchObject({ amount: '0.1' })
      expect(at('1 234,5'), locale).toMatchObject({ amount: '1234.5' })
    }
    expect(parsePositive('0,1', 'en-US')?.toString()).toBe('0.1')
  })

  it('accepts positive decimals with correct grouping, refuses anything else with a reason', () => {
    expect(parsePositive('0.01', 'en-US')?.toString()).toBe('0.01')
    expect(parsePositive('1,234.5', 'en-US')?.toString()).toBe('1234.5')
    expect(parsePositive(' 75 000 ', 'en-US')?.toString()).toBe('75000')
    expect(parsePositive('.5', 'en-US')?.toString()).toBe('0.5')
    for (const bad of ['', '0', '-1', 'abc', '1.2.3', 'NaN', 'Infinity', '1e999', '1e-3', '1,234']) {
      expect(parsePositive(bad, 'en-US'), bad).toBeUndefined()
    }
    const size = (s: string) => buildRequest('a', 'BTC/USDT', { ...EMPTY_FORM, size: s }, 'en-US')
    expect(size('1,234')).toMatchObject({
      request: null,
      missing: 'Amount: Ambiguous: write 1234 or 1.234',
      field: 'size',
    })
    expect(size('0').missing).toBe('Amount: Must be more than 0')
    // Every digit goes to the engine as typed, as decimal text: nothing is rounded on the way.
    expect(size('0.1234567890123456789').request).toMatchObject({ amount: '0.1234567890123456789' })
    expect(size('1' + '0'.repeat(400)).missing).toBe('Amount: Too long: at most 40 digits')
  })

  it('builds exactly one of amount or notional, and the price fields the type needs', () => {
    const base = { ...EMPTY_FORM, size: '0.5' }
    expect(buildRequest('a', 'BTC/USDT', base).request).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.5',
    })
    expect(buildRequest('a', 'BTC/USDT', { ...base, sizeMode: 'notional', size: '100' }).request).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      notional: '100',
    })
    // A market order never carries a stale price from an earlier limit.
    expect(buildRequest('a', 'BTC/USDT', { ...base, price: '1', stopPrice: '2' }).request).not.toHaveProperty(
      'price',
    )
    expect(buildRequest('a', 'BTC/USDT', { ...base, type: 'limit', price: '60000' }).request).toMatchObject({
      price: '60000',
    })
    expect(
      buildRequest('a', 'BTC/USDT', { ...base, type: 'stop', stopPrice: '70000' }).request,
    ).toMatchObject({
      stopPrice: '70000',
    })
  })

  it('says what is missing instead of sending an incomplete order', () => {
    expect(buildRequest(null, 'BTC/USDT', EMPTY_FORM).missing).toBe('Choose an account')
    expect(buildRequest('a', null, EMPTY_FORM).missing).toBe('Choose a symbol')
    expect(buildRequest('a', 'BTC/USDT', EMPTY_FORM).missing).toBe('Enter a size')
    expect(buildRequest('a', 'BTC/USDT', { ...EMPTY_FORM, size: 'x' }).missing).toBe(
      'Amount: Not a number: use digits and one decimal separator',
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
    // Exactly as held, grouped; at an asset's places, cut (never more than is held), dust in full.
    expect(formatQty('0.01232766')).toBe('0.01232766')
    expect(formatQty('0.01232766', 5)).toBe('0.01232')
    expect(formatQty('0.00000766', 5)).toBe('0.00000766')
    expect(formatQty('0.05')).toBe('0.05')
    expect(formatQty('10000', 2)).toBe('10,000.00')
    expect(formatQty('1234567.891')).toBe('1,234,567.891')
    expect(formatSigned('3.456')).toBe('+3.46')
    expect(formatSigned('-0.5')).toBe('−0.50')
    expect(formatSigned('0.001')).toBe('0.00')
    expect(formatSigned('-0.001')).toBe('0.00')
  })
})

describe('the ticket cannot be sent while it shows an error (issue 12, finding 7)', () => {
  const ctx = { last: '77147.31', precision: 2, quote: 'USDT' }
  const stopForm = { ...EMPTY_FORM, type: 'stop' as const, size: '0.01', stopPrice: '70000' }
  const valid = (req: ReturnType<typeof buildRequest>['request']): TicketCheck => ({
    state: 'done',
    sig: requestSig(req),
    result: { valid: true, order: null, error: null },
  })

  it('a buy stop at or below the last price is refused as it is typed, with formatted prices', () => {
    const built = buildRequest('a', 'BTC/USDT', stopForm, 'en-US')
    // Even if the engine's check passes (it does not know the stop side), the ticket refuses.
    const v = ticketVerdict(built, valid(built.request), ctx)
    expect(v.state).toBe('invalid')
    expect(v.reason).toBe(
      'A buy stop must be above the last price: 70,000.00 is at or below 77,147.31 and would trigger at once',
    )
    expect(stopSideProblem('sell', '80000', '77147.31', 2)).toMatch(
      /sell stop must be below .* 80,000\.00 is at or above 77,147\.31/,
    )
    expect(stopSideProblem('buy', '80000', '77147.31', 2)).toBeNull()
    expect(stopSideProblem('sell', '70000', '77147.31', 2)).toBeNull()
    expect(stopSideProblem('buy', '70000', undefined, 2)).toBeNull()
    // Exactly: a stop one unit past the last price is on the right side, however fine.
    expect(stopSideProblem('buy', '77147.3100000001', '77147.31', 2)).toBeNull()
    expect(stopSideProblem('buy', '77147.31', '77147.31', 2)).not.toBeNull()
  })

  it('is valid only when the engine said so for exactly the request as it stands', () => {
    const built = buildRequest('a', 'BTC/USDT', { ...stopForm, stopPrice: '80000' }, 'en-US')
    expect(ticketVerdict(built, valid(built.request), ctx)).toEqual({
      state: 'valid',
      reason: null,
      error: null,
    })
    expect(ticketVerdict(built, { state: 'checking', sig: '', result: null }, ctx).state).toBe('checking')
    const other = buildRequest('a', 'BTC/USDT', { ...stopForm, stopPrice: '80001' }, 'en-US')
    expect(ticketVerdict(built, valid(other.request), ctx).state).toBe('checking')
    const refused = ticketVerdict(
      built,
      {
        state: 'done',
        sig: requestSig(built.request),
        result: {
          valid: false,
          order: null,
          error: {
            kind: 'insufficient_funds',
            message: 'buying 1000.00000 BTC needs 77147310 USDT, 10000 USDT is free: short by 77137310.00',
          },
        },
      },
      ctx,
    )
    expect(refused.state).toBe('invalid')
    expect(refused.reason).toBe(
      'buying 1,000.00000 BTC needs 77,147,310.00 USDT, 10,000.00 USDT is free: short by 77,137,310.00',
    )
    // A field typed wrong is an error too, with the field's reason.
    const typo = buildRequest('a', 'BTC/USDT', { ...stopForm, size: '1,234' }, 'en-US')
    expect(ticketVerdict(typo, valid(null), ctx)).toMatchObject({
      state: 'invalid',
      reason: 'Amount: Ambiguous: write 1234 or 1.234',
    })
    expect(ticketVerdict(buildRequest('a', 'BTC/USDT', EMPTY_FORM), valid(null), ctx)).toEqual({
      state: 'empty',
      reason: 'Enter a size',
      error: null,
    })
  })

  it('formats the engine’s numbers without changing any of them', () => {
    expect(formatEngineMessage('notional 4.2 USDT is below the minimum 5 USDT by 0.8', 'USDT', 2)).toBe(
      'notional 4.20 USDT is below the minimum 5.00 USDT by 0.8',
    )
    expect(
      formatEngineMessage('amount 0.000001 BTC rounds down to 0 at the step 0.00001 BTC', 'USDT', 2),
    ).toBe('amount 0.000001 BTC rounds down to 0 at the step 0.00001 BTC')
    expect(formatEngineMessage('last 77147.3123 USDT on 1INCH/USDT', 'USDT', 2)).toBe(
      'last 77,147.3123 USDT on 1INCH/USDT',
    )
  })
})

describe('order markers', () => {
  const fill = (
    time: number,
    side: 'buy' | 'sell',
    amount: string,
    price: string,
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
    cost: String(Number(amount) * Number(price)),
    fee: null,
    takerOrMaker: 'taker',
    time,
  })
  const t0 = Date.UTC(2026, 0, 5, 10, 0)

  it('puts one marker per bar and side at the amount-weighted price, sorted by time', () => {
    const fills = [
      fill(t0 + 20 * 60_000, 'sell', '1', '110'),
      fill(t0 + 60_000, 'buy', '0.1', '100'),
      fill(t0 + 14 * 60_000, 'buy', '0.2', '104.5'),
      fill(t0 + 2 * 60_000, 'buy', '1', '1', 'ETH/USDT'),
    ]
    const m = orderMarkers(fills, { symbol: 'BTC/USDT', timeframe: '15m' })
    expect(m).toHaveLength(2)
    // Both buys fall in the 10:00 bar: 0.3 BTC (exactly, not 0.30000000000000004) at
    // (10 + 20.9) / 0.3 = 103 (the marker's price is a chart coordinate).
    expect(m[0]).toMatchObject({ time: t0 / 1000, position: 'atPriceBottom', shape: 'arrowUp', price: 103 })
    expect(m[0]!.text).toBe('Bought 0.3')
    expect(m[1]).toMatchObject({ time: (t0 + 15 * 60_000) / 1000, position: 'atPriceTop', price: 110 })
    expect(m[1]!.text).toBe('Sold 1')
  })
})

describe('the ticket builds every order type', () => {
  const form = { ...EMPTY_FORM, size: '0.5' }
  it('a stop-limit takes its stop and limit; a trailing stop its distance in percent or price, and an activation', () => {
    expect(
      buildRequest(
        'a',
        'BTC/USDT',
        { ...form, type: 'stop_limit', stopPrice: '60000', price: '59900' },
        'en-US',
      ).request,
    ).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop_limit',
      amount: '0.5',
      stopPrice: '60000',
      price: '59900',
    })
    expect(
      buildRequest('a', 'BTC/USDT', { ...form, type: 'take_profit_limit', stopPrice: '60000' }, 'en-US')
        .missing,
    ).toBe('Enter a limit price')
    expect(
      buildRequest(
        'a',
        'BTC/USDT',
        { ...form, side: 'sell', type: 'trailing_stop', trailing: '1,5' },
        'de-DE',
      ).request,
    ).toMatchObject({ type: 'trailing_stop', trailingPercent: '1.5' })
    expect(
      buildRequest(
        'a',
        'BTC/USDT',
        { ...form, type: 'trailing_stop', trailingMode: 'amount', trailing: '50', activation: '58000' },
        'en-US',
      ).request,
    ).toMatchObject({ trailingAmount: '50', activationPrice: '58000' })
  })

  it('a bracket carries its take-profit and stop-loss; post-only and reduce-only go only where they apply', () => {
    const bracket = buildRequest(
      'a',
      'BTC/USDT',
      {
        ...form,
        type: 'limit',
        price: '60000',
        postOnly: true,
        tpOn: true,
        tp: '63000',
        slOn: true,
        sl: '58000',
      },
      'en-US',
    ).request
    expect(bracket).toMatchObject({
      type: 'limit',
      postOnly: true,
      takeProfit: { price: '63000' },
      stopLoss: { stopPrice: '58000' },
    })
    // TP/SL attach to market and limit entries only; post-only to limits only.
    const stop = buildRequest(
      'a',
      'BTC/USDT',
      {
        ...form,
        type: 'stop',
        stopPrice: '61000',
        postOnly: true,
        tpOn: true,
        tp: '63000',
        reduceOnly: true,
      },
      'en-US',
    ).request
    expect(stop).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'stop',
      amount: '0.5',
      stopPrice: '61000',
      reduceOnly: true,
    })
    expect(buildRequest('a', 'BTC/USDT', { ...form, tpOn: true }, 'en-US').missing).toBe(
      'Enter a take-profit price',
    )
  })

  it('an OCO is its two legs for one amount', () => {
    expect(
      buildRequest(
        'a',
        'BTC/USDT',
        { ...form, side: 'sell', type: 'oco', tp: '63000', sl: '58000', slLimit: '57900' },
        'en-US',
      ).request,
    ).toEqual({
      accountId: 'a',
      symbol: 'BTC/USDT',
      side: 'sell',
      amount: '0.5',
      takeProfit: { price: '63000' },
      stopLoss: { stopPrice: '58000', price: '57900' },
    })
    expect(
      buildRequest('a', 'BTC/USDT', { ...form, type: 'oco', tp: '63000', sl: 'x' }, 'en-US'),
    ).toMatchObject({
      request: null,
      field: 'sl',
    })
  })
})
