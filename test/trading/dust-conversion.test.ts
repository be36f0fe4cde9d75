import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { Decimal, dec } from '../../src/main/trading/decimal'
import { ledgerBalances } from '../../src/main/trading/positions'
import { useTempDirs } from '../support/temp-dir'
import {
  fakeExchange,
  FaultyVenue,
  ManualClock,
  openTradingDb,
  positionFills,
  Prices,
  service,
  ZERO_FEES,
} from './support'

/*
 * Issue 12, finding 3's last point: dust below the lot step "can be converted where the exchange
 * allows". trading.convertDust hands it to the venue's small-balance conversion and records it
 * as a sell fill marked `dust_conversion`, so the position goes flat and P&L includes it.
 */

const tempDir = useTempDirs()
const P = 'demo-paper'
const BTC = 'BTC/USDT'

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

/** Binance's way: a buy of 0.001 BTC pays 0.000001 BTC of fee; selling 0.00099 leaves 0.000009, below the 0.00001 step. */
async function paperWithDust() {
  const clock = new ManualClock()
  const prices = new Prices().set(BTC, { bid: 99_990, ask: 100_010, last: 100_000 })
  const db = openTradingDb(tempDir())
  const svc = service(db, clock, prices, {
    paperSettings: { takerFeeBps: 10, makerFeeBps: 10, slippageBps: 0 },
  })
  await svc.placeOrder({ accountId: P, symbol: BTC, side: 'buy', type: 'market', amount: '0.001' })
  clock.advance(1_000)
  await svc.placeOrder({ accountId: P, symbol: BTC, side: 'sell', type: 'market', amount: '0.00099' })
  clock.advance(1_000)
  return { clock, prices, db, svc }
}

describe('converting dust on paper', () => {
  it('sells the dust at the bid less 2% into USDT: the position goes flat and every balance is its start plus its fills, to the last unit', async () => {
    const { svc } = await paperWithDust()
    const [dust] = await svc.positions(P)
    expect(dust).toMatchObject({ symbol: BTC, side: 'dust', amount: '0.000009' })

    const done = await svc.convertDust({ accountId: P })
    // 0.000009 BTC at the bid 99,990 is 0.89991 USDT; 2% of it (0.0179982) is the fee.
    expect(done.note).toBeNull()
    expect(done.converted).toEqual([
      {
        asset: 'BTC',
        amount: '0.000009',
        target: 'USDT',
        received: '0.8819118',
        fee: '0.0179982',
        transferId: expect.stringMatching(/^paper-dust-\d+$/),
        symbol: BTC,
        value: '0.8819118',
      },
    ])
    expect(done.fills).toHaveLength(1)
    expect(done.fills[0]).toMatchObject({
      symbol: BTC,
      side: 'sell',
      amount: '0.000009',
      price: '99990',
      cost: '0.89991',
      fee: { cost: '0.0179982', currency: 'USDT' },
      takerOrMaker: null,
      reason: 'dust_conversion',
      tradeId: `dust:${done.converted[0]!.transferId}`,
    })

    // Flat: no dust, no position; the conversion is an exit of the position, in realized P&L.
    expect(await svc.positions(P)).toEqual([])
    const [flat] = await svc.positions(P, true)
    expect(flat).toMatchObject({ side: 'flat', amount: '0', fills: 3 })
    // Realized: the base fee 0.000001 × 100,010, the sell's -20 × 0.00099 and its fee 0.0989901,
    // the conversion's -20 × 0.000009 and its fee 0.0179982.
    expect(flat!.realizedPnl).toBe('-0.2369783')

    // Balances: BTC gone, USDT exactly 10,000 - 100.01 + (98.9901 - 0.0989901) + 0.8819118.
    const balances = (await svc.balances(P)).balances
    const total = (asset: string) => balances.find((b) => b.asset === asset)?.total ?? '0'
    expect(total('BTC')).toBe('0')
    expect(total('USDT')).toBe('9999.7630217')
    expect(dec(total('USDT')).minus(dec('10000')).toString()).toBe(flat!.realizedPnl)
    // ...which is the starting balance plus every recorded fill, the conversion's included.
    const fills = svc.fills(P, { limit: 100 })
    expect(fills.filter((f) => f.reason === 'dust_conversion')).toHaveLength(1)
    const ledger = ledgerBalances(new Map([['USDT', dec('10000')]]), positionFills([...fills].reverse()))
    expect(ledger.get('USDT')!.toString()).toBe(total('USDT'))
    expect(ledger.get('BTC')!.eq(Decimal.ZERO)).toBe(true)

    // Converting again: nothing is left, said in words, nothing changes.
    const again = await svc.convertDust({ accountId: P })
    expect(again).toMatchObject({
      converted: [],
      fills: [],
      note: expect.stringMatching(/^Nothing to convert/),
    })
    expect(svc.fills(P, { limit: 100 })).toHaveLength(3)
  })

  it('is a no-op with a clear message when there is no dust', async () => {
    const clock = new ManualClock()
    const prices = new Prices().set(BTC, { bid: 99_990, ask: 100_010 })
    const svc = service(openTradingDb(tempDir()), clock, prices, { paperSettings: ZERO_FEES })
    await svc.placeOrder({ accountId: P, symbol: BTC, side: 'buy', type: 'market', amount: '0.001' })
    const before = (await svc.balances(P)).balances
    const none = await svc.convertDust({ accountId: P })
    expect(none).toEqual({
      accountId: P,
      converted: [],
      fills: [],
      note: 'Nothing to convert: "Demo paper" holds no dust (no position below its lot step)',
    })
    expect((await svc.balances(P)).balances).toEqual(before)
  })

  it('refuses an asset that is not dust, naming the field, and converts nothing', async () => {
    const { svc } = await paperWithDust()
    const err = await rejection(svc.convertDust({ accountId: P, assets: ['ETH'] }))
    expect(err).toMatchObject({
      kind: 'validation',
      path: 'params.assets',
      message: expect.stringMatching(/^ETH is not dust in "/),
    })
    expect((await svc.positions(P))[0]).toMatchObject({ side: 'dust', amount: '0.000009' })
  })

  it('the paper venue converts only a free balance below the lot step, all or nothing', () => {
    const clock = new ManualClock()
    const prices = new Prices()
      .set(BTC, { bid: 99_990, ask: 100_010 })
      .set('ETH/USDT', { bid: 3_000, ask: 3_001 })
    const { venue } = fakeExchange(tempDir(), clock, prices)
    venue.reset({
      balances: [
        { asset: 'USDT', amount: dec('1') },
        { asset: 'BTC', amount: dec('0.00001') },
        { asset: 'ETH', amount: dec('0.00009') },
      ],
    })
    // A whole step of BTC is not dust: refused with ETH's dust, which stays.
    expect(() => venue.convertDustSync(['ETH', 'BTC'])).toThrow(
      /0\.00001 BTC is not dust: it is not below the BTC\/USDT lot step 0\.00001; sell it with an order/,
    )
    expect(() => venue.convertDustSync(['SOL'])).toThrow(
      /Paper converts SOL into USDT through SOL\/USDT, which this market does not list/,
    )
    expect(venue.balances().get('ETH')?.total.toString()).toBe('0.00009')
    const [eth] = venue.convertDustSync(['ETH'])
    // 0.00009 ETH at 3,000 is 0.27 USDT; less 2%, 0.2646.
    expect(eth).toMatchObject({ asset: 'ETH', target: 'USDT', valuedAt: { symbol: 'ETH/USDT' } })
    expect([eth!.amount, eth!.received, eth!.fee].map(String)).toEqual(['0.00009', '0.2646', '0.0054'])
    expect(venue.balances().get('ETH')?.total.toString()).toBe('0')
    expect(venue.balances().get('USDT')?.total.toString()).toBe('1.2646')
    // Not held any more: refused, as Binance refuses an asset you do not have.
    expect(() => venue.convertDustSync(['ETH'])).toThrow(/No ETH is free in this account to convert/)
  })
})

describe('converting dust: the guards', () => {
  async function live(liveEnabled = true, exchangeId = 'binance') {
    const dir = tempDir()
    const clock = new ManualClock()
    const prices = new Prices().set(BTC, { bid: 99_990, ask: 100_010 })
    const exchange = fakeExchange(join(dir, 'exchange'), clock, prices)
    // A venue without the dust_conversion feature (as ccxt's other exchanges).
    const faulty = new FaultyVenue(exchange.venue, 5_000)
    const svc = service(openTradingDb(join(dir, 'app')), clock, prices, { liveVenue: () => faulty })
    await svc.saveAccount({
      id: 'live',
      name: 'My exchange',
      mode: 'live',
      exchangeId,
      liveEnabled,
      apiKey: 'k'.repeat(64),
      secret: 's'.repeat(64),
      checkKeys: true,
    })
    return { svc, faulty }
  }

  it('a live account needs confirm: true, and its live switch on', async () => {
    const { svc, faulty } = await live()
    const sent = faulty.calls.length
    expect(await rejection(svc.convertDust({ accountId: 'live' }))).toMatchObject({
      kind: 'invalid_order',
      path: 'params.confirm',
      message: 'Converting dust on a live account needs confirm: true (the app asks first)',
    })
    const off = await live(false)
    expect(await rejection(off.svc.convertDust({ accountId: 'live', confirm: true }))).toMatchObject({
      kind: 'invalid_order',
      path: 'params.accountId',
      message: expect.stringMatching(/Live trading is switched off for "My exchange"/),
    })
    expect(faulty.calls.length).toBe(sent)
  })

  it('a venue that cannot convert refuses in words, sending nothing', async () => {
    const { svc, faulty } = await live(true, 'kraken')
    const sent = faulty.calls.length
    expect(await rejection(svc.convertDust({ accountId: 'live', confirm: true }))).toMatchObject({
      kind: 'invalid_order',
      path: 'params.accountId',
      message: 'Kraken does not convert small balances; sell them when they reach the lot step',
    })
    expect(faulty.calls.length).toBe(sent)
  })
})
