import { describe, expect, it } from 'vitest'
import type { MatchingMethod } from '../../src/shared/contract/journal'
import { buildPair, netOf, type RawTrade, type SourceFill } from '../../src/main/journal/round-trips'

let seq = 0
function fill(
  side: 'buy' | 'sell',
  amount: string,
  price: string,
  time: number,
  fee?: [string, string],
): SourceFill {
  seq++
  return {
    accountId: 'a',
    symbol: 'BTC/USDT',
    tradeId: `t${seq}`,
    orderId: `o${seq}`,
    clientOrderId: null,
    side,
    amount,
    price,
    feeCost: fee?.[0] ?? null,
    feeCurrency: fee?.[1] ?? null,
    time,
    seq,
  }
}

const summary = (t: RawTrade) => ({
  side: t.side,
  status: t.status,
  entryTime: t.entryTime,
  exitTime: t.exitTime,
  size: t.size.toString(),
  exitedSize: t.exitedSize.toString(),
  gross: t.grossPnl.toString(),
  fees: t.fees.toString(),
  net: netOf(t).toString(),
})
const realized = (t: RawTrade) => t.parts.filter((p) => p.role === 'exit').map((p) => p.realized!.toString())

describe('round-trip trades (hand-computed)', () => {
  // Buy 1 @100, buy 1 @110, sell 1.5 @120, sell 1.5 @90 (flips short 1), buy 1 @80 (closes the short).
  const fills = () => [
    fill('buy', '1', '100', 1, ['0.1', 'USDT']),
    fill('buy', '1', '110', 2, ['0.11', 'USDT']),
    fill('sell', '1.5', '120', 3, ['0.18', 'USDT']),
    fill('sell', '1.5', '90', 4, ['0.27', 'USDT']),
    fill('buy', '1', '80', 5, ['0.08', 'USDT']),
  ]

  it('FIFO with partial exits and a flip: two trades, the flip fill split between them', () => {
    const [long, short, ...rest] = buildPair(fills(), 'fifo')
    expect(rest).toEqual([])
    // Long: entries 100 + 110 = 210 for 2; exits 1.5 @120 (180) + 0.5 @90 (45) = 225. Gross 15.
    // Fees: 0.1 + 0.11 + 0.18 + the flip fill's 0.27 x 0.5/1.5 = 0.09 -> 0.48.
    expect(summary(long!)).toEqual({
      side: 'long',
      status: 'closed',
      entryTime: 1,
      exitTime: 4,
      size: '2',
      exitedSize: '2',
      gross: '15',
      fees: '0.48',
      net: '14.52',
    })
    // FIFO: 1.5 @120 closes 1 @100 and 0.5 @110 -> 180 - 155 = 25; 0.5 @90 closes 0.5 @110 -> -10.
    expect(realized(long!)).toEqual(['25', '-10'])
    // Short: 1 @90 (the flip's rest, fee 0.18), bought back 1 @80 (fee 0.08): gross 10, net 9.74.
    expect(summary(short!)).toEqual({
      side: 'short',
      status: 'closed',
      entryTime: 4,
      exitTime: 5,
      size: '1',
      exitedSize: '1',
      gross: '10',
      fees: '0.26',
      net: '9.74',
    })
    expect(short!.key).toBe('a|BTC/USDT|4|t4')
  })

  it('LIFO and average cost change the partial exits, never a closed trade’s totals', () => {
    const by = (m: MatchingMethod) => buildPair(fills(), m)
    // LIFO: 1.5 @120 closes 1 @110 and 0.5 @100 -> 180 - 160 = 20; 0.5 @90 closes 0.5 @100 -> -5.
    expect(realized(by('lifo')[0]!)).toEqual(['20', '-5'])
    // Average: cost 105; 1.5 @120 -> 180 - 157.5 = 22.5; the rest, 0.5 @90 -> 45 - 52.5 = -7.5.
    expect(realized(by('average')[0]!)).toEqual(['22.5', '-7.5'])
    for (const m of ['lifo', 'average'] as const) {
      expect(by(m).map(summary)).toEqual(by('fifo').map(summary))
    }
  })

  it('an open trade lists its realized exits so far', () => {
    const [open] = buildPair(fills().slice(0, 3), 'fifo')
    expect(summary(open!)).toMatchObject({
      status: 'open',
      exitTime: null,
      size: '2',
      exitedSize: '1.5',
      gross: '25',
    })
  })

  it('a fee in the base currency reduces the position and counts at the fill price', () => {
    // Buy 1 BTC @100 paying 0.001 BTC: holds 0.999, fee worth 0.1 USDT. Sell 0.999 @110 paying 0.10989 USDT.
    const [t, ...rest] = buildPair(
      [fill('buy', '1', '100', 1, ['0.001', 'BTC']), fill('sell', '0.999', '110', 2, ['0.10989', 'USDT'])],
      'fifo',
    )
    expect(rest).toEqual([])
    // Cash: paid 100, received 109.89 - 0.10989 = 109.78011 -> 9.78011 = gross 9.99 - fees 0.20989.
    expect(summary(t!)).toEqual({
      side: 'long',
      status: 'closed',
      entryTime: 1,
      exitTime: 2,
      size: '0.999',
      exitedSize: '0.999',
      gross: '9.99',
      fees: '0.20989',
      net: '9.78011',
    })
  })

  it('a sell paying its fee in base gives up amount + fee; a third-currency fee is listed apart', () => {
    const [t] = buildPair(
      [fill('sell', '1', '100', 1, ['0.001', 'BTC']), fill('buy', '1.001', '90', 2, ['0.5', 'BNB'])],
      'fifo',
    )
    // Short 1.001 @100 (fee 0.1 USDT), covered 1.001 @90: gross 10.01, net 9.91; BNB apart.
    expect(summary(t!)).toMatchObject({
      side: 'short',
      status: 'closed',
      size: '1.001',
      gross: '10.01',
      net: '9.91',
    })
    expect([...t!.otherFees].map(([c, v]) => [c, v.toString()])).toEqual([['BNB', '0.5']])
  })
})
