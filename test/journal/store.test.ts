import { describe, expect, it } from 'vitest'
import { decodeTrade, encodeTrade } from '../../src/main/journal/store'
import type { StoredTrade } from '../../src/main/journal/trade'

/** Every field set and distinct, so a field read from another's place shows. */
const TRADE: StoredTrade = {
  key: 'acc|ETH/BTC|1700000000000|t1',
  accountId: 'acc',
  symbol: 'ETH/BTC',
  quote: 'BTC',
  side: 'short',
  status: 'closed',
  entryTime: 1_700_000_000_000,
  exitTime: 1_700_000_360_000,
  avgEntry: '0.0521',
  avgExit: '0.0519',
  size: '3.5',
  exitedSize: '3.4',
  entryValue: '0.18235',
  grossPnl: '0.0007',
  fees: '0.00001',
  netPnl: '0.00069',
  otherFees: [{ currency: 'BNB', cost: '0.002', converted: '0.0000000316', note: null }],
  accountPnl: { currency: 'USDT', rate: '60000.5', grossPnl: '42.00035', netPnl: '41.400345', note: null },
  returnPct: 0.378,
  holdingMs: 360_000,
  exitReason: 'stop-loss',
  orderStop: '0.0530',
  mae: { price: '0.0525', pct: -0.77 },
  mfe: { price: '0.0515', pct: 1.15 },
  signal: {
    profile: 'p',
    timeframe: '5m',
    time: 1_699_999_700_000,
    score: 31,
    direction: 'sell',
    confidence: 0.6,
    reasons: [],
  },
  strategy: 'manual',
  fills: [
    {
      tradeId: 't1',
      orderId: 'o1',
      clientOrderId: 'c1',
      side: 'sell',
      role: 'entry',
      amount: '3.5',
      price: '0.0521',
      fee: '0.000005',
      realized: null,
      time: 1_700_000_000_000,
    },
    {
      tradeId: 't2',
      orderId: 'o2',
      clientOrderId: null,
      side: 'buy',
      role: 'exit',
      amount: '3.4',
      price: '0.0519',
      fee: '0.000005',
      realized: '0.00068',
      time: 1_700_000_360_000,
    },
  ],
}

describe('journal_trades rows', () => {
  it('read back every field of a trade and its fills in its place', () => {
    const data = encodeTrade(TRADE)
    expect(decodeTrade(TRADE.key, TRADE.accountId, TRADE.symbol, data)).toEqual(TRADE)
    // The compact row holds no field names, only values.
    expect(data).not.toContain('avgEntry')
    expect(data).not.toContain('tradeId')
  })

  it('keep nulls of an open trade', () => {
    const open: StoredTrade = {
      ...TRADE,
      status: 'open',
      exitTime: null,
      avgExit: null,
      returnPct: null,
      holdingMs: null,
      exitReason: null,
      orderStop: null,
      mae: null,
      mfe: null,
      signal: null,
      otherFees: [],
      fills: [TRADE.fills[0]!],
    }
    expect(decodeTrade(open.key, open.accountId, open.symbol, encodeTrade(open))).toEqual(open)
  })
})
