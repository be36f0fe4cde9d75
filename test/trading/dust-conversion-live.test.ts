/**
 * Converting dust on a live account through real ccxt against the Binance simulator: POST
 * /sapi/v1/asset/dust (ccxt's implicit sapiPostAssetDust, `asset` repeated), BNB received less
 * Binance's 2%, recorded as a sell fill of the position so it goes flat.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/clock'
import { Decimal, dec } from '../../src/main/trading/decimal'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { TradingService } from '../../src/main/trading/service'
import { BNB_USDT, DEFAULT_MARKETS } from '../simulator/markets'
import { startSimulator, type Simulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { exchangeHub, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const sims: Simulator[] = []
const services: TradingService[] = []
afterEach(async () => {
  for (const s of services.splice(0)) s.close()
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const L = 'binance-sim'
const BTC = 'BTC/USDT'
const secrets = memorySecretStore()

/** A live account holding 0.000009 BTC of dust: a buy of 0.001 paid 0.000001 BTC of fee, then 0.00099 sold. */
async function liveWithDust(withBnb: boolean) {
  const s = await startSimulator({
    seed: 31,
    autoMatch: false,
    balances: { USDT: 10_000 },
    markets: withBnb ? [...DEFAULT_MARKETS, BNB_USDT] : DEFAULT_MARKETS,
  })
  sims.push(s)
  s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
  if (withBnb) s.market.setPrice('BNBUSDT', 600, { freeze: true })
  const db = openTradingDb(tempDir())
  const hub = exchangeHub(db, systemClock, { secrets })
  const svc = service(db, systemClock, new Prices(), { exchanges: hub, outcomeMarginMs: 200 })
  services.push(svc)
  await svc.saveAccount({
    id: L,
    name: 'Simulated Binance',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl: s.url,
    liveEnabled: true,
    apiKey: s.apiKey,
    secret: s.secret,
    checkKeys: true,
  })
  const base = { accountId: L, symbol: BTC, type: 'market', confirm: true } as const
  await svc.placeOrder({ ...base, side: 'buy', amount: '0.001' })
  await svc.placeOrder({ ...base, side: 'sell', amount: '0.00099' })
  const [dust] = await svc.positions(L)
  expect(dust).toMatchObject({ symbol: BTC, side: 'dust', amount: '0.000009' })
  const held = (asset: string) => s.state.balances(s.apiKey)[asset]?.free ?? 0
  return { s, svc, held, realizedBefore: dust!.realizedPnl }
}

describe('converting dust on a live Binance account (real ccxt, the simulator)', () => {
  it('needs confirm: true; then converts to BNB and closes the position, valued at BNB/USDT exactly', async () => {
    const { svc, held, realizedBefore, s } = await liveWithDust(true)
    await expect(svc.convertDust({ accountId: L })).rejects.toMatchObject({ path: 'params.confirm' })
    expect(held('BTC')).toBe(0.000009)

    const done = await svc.convertDust({ accountId: L, confirm: true })
    const [c] = done.converted
    const bidOf = (symbol: string) => Decimal.fromNumber(s.market.book(symbol, 1).bids[0]![0])
    const btcBid = bidOf('BTCUSDT').toString()
    // The simulator: 0.000009 BTC at its bid, in BNB at BNB's bid, rounded down to 1e-8, less 2%.
    expect(c).toMatchObject({ asset: 'BTC', amount: '0.000009', target: 'BNB', symbol: BTC })
    expect(c!.transferId).toMatch(/^\d+$/)
    expect(dec(c!.received).plus(dec(c!.fee)).gt(dec('0'))).toBe(true)
    expect(held('BTC')).toBe(0)
    expect(held('BNB')).toBe(Number(c!.received))
    // 2% of what it was worth in BNB: the fee is a fiftieth of received + fee (rounded down to 1e-8).
    const gross = dec(c!.received).plus(dec(c!.fee))
    expect(
      gross
        .minus(dec(c!.fee).times(dec('50')))
        .abs()
        .lt(dec('0.0000005')),
    ).toBe(true)
    // Worth: the BNB received at BNB/USDT's bid, exactly.
    expect(c!.value).toBe(dec(c!.received).times(bidOf('BNBUSDT')).toString())
    expect(done.note).toBeNull()
    // One sell fill at BTC/USDT's bid; its fee in USDT is what the conversion cost against that.
    expect(done.fills).toEqual([
      expect.objectContaining({
        symbol: BTC,
        side: 'sell',
        amount: '0.000009',
        price: btcBid,
        reason: 'dust_conversion',
        tradeId: `dust:${c!.transferId}`,
        fee: { currency: 'USDT', cost: dec('0.000009').times(dec(btcBid)).minus(dec(c!.value!)).toString() },
      }),
    ])
    // Flat, and realized P&L gained exactly the value received less the dust's cost.
    expect(await svc.positions(L)).toEqual([])
    const [flat] = await svc.positions(L, true)
    expect(flat).toMatchObject({ side: 'flat', amount: '0' })
    const buyPrice = svc.fills(L, { limit: 10 }).find((f) => f.side === 'buy')!.price
    expect(flat!.realizedPnl).toBe(
      dec(realizedBefore)
        .plus(dec(c!.value!))
        .minus(dec('0.000009').times(dec(buyPrice)))
        .toString(),
    )
    // Nothing left to convert.
    const again = await svc.convertDust({ accountId: L, confirm: true })
    expect(again.converted).toEqual([])
  })

  it('without a BNB/USDT market the position still goes flat, at its entry price, with no P&L and a note', async () => {
    const { svc, realizedBefore } = await liveWithDust(false)
    const done = await svc.convertDust({ accountId: L, confirm: true })
    expect(done.converted[0]).toMatchObject({ asset: 'BTC', symbol: BTC, value: null })
    expect(done.note).toMatch(
      /could not be valued in USDT \(no BNB\/USDT price\): BTC\/USDT was closed at its entry prices/,
    )
    const buyPrice = svc.fills(L, { limit: 10 }).find((f) => f.side === 'buy')!.price
    expect(done.fills).toEqual([
      expect.objectContaining({
        side: 'sell',
        amount: '0.000009',
        price: buyPrice,
        reason: 'dust_conversion',
      }),
    ])
    const [flat] = await svc.positions(L, true)
    expect(flat).toMatchObject({ side: 'flat', realizedPnl: realizedBefore })
    expect(flat!.otherFees).toEqual([{ currency: 'BNB', cost: done.converted[0]!.fee }])
  })
})
