import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { failure, useSimulators } from './harness'
import { BNB_USDT, DEFAULT_MARKETS } from './markets'

/** ccxt generates the endpoint's method but does not type it. */
type DustClient = { sapiPostAssetDust(p: { asset: string[] }): Promise<Record<string, unknown>> }

describe('simulator: POST /sapi/v1/asset/dust through ccxt', () => {
  const open = useSimulators()

  it('converts each asset named (ccxt repeats `asset`) into BNB less 2%, answering like Binance', async () => {
    const { sim, ex } = await open({
      balances: { BTC: '0.000009', ETH: '0.00009' },
      markets: [...DEFAULT_MARKETS, BNB_USDT],
    })
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    sim.market.setPrice('BNBUSDT', 600, { freeze: true })
    const r = await (ex as unknown as DustClient).sapiPostAssetDust({ asset: ['BTC', 'ETH'] })
    const results = r['transferResult'] as Record<string, unknown>[]
    expect(results.map((x) => [x['fromAsset'], x['amount']])).toEqual([
      ['BTC', '0.00000900'],
      ['ETH', '0.00009000'],
    ])
    for (const x of results) {
      expect(Object.keys(x).sort()).toEqual(
        ['amount', 'fromAsset', 'operateTime', 'serviceChargeAmount', 'tranId', 'transferedAmount'].sort(),
      )
      const net = Number(x['transferedAmount'])
      const fee = Number(x['serviceChargeAmount'])
      expect(fee / (net + fee)).toBeCloseTo(0.02, 4)
    }
    expect(typeof r['totalTransfered']).toBe('string')
    const balances = sim.state.balances()
    expect(balances['BTC']?.free).toBe(0)
    expect(balances['ETH']?.free).toBe(0)
    expect(balances['BNB']?.free).toBeCloseTo(Number(r['totalTransfered']), 8)
  })

  it('refuses an asset not held (-5003) and one worth more than 0.001 BTC (-5004), moving nothing', async () => {
    const { sim, ex } = await open({ balances: { BTC: '0.5', ETH: '0.00009' } })
    const dust = ex as unknown as DustClient
    const notHeld = await failure(dust.sapiPostAssetDust({ asset: ['ETH', 'SOL'] }))
    expect(notHeld).toBeInstanceOf(ccxt.ExchangeError)
    expect(notHeld.message).toMatch(/"code":-5003,"msg":"You don't have this asset\."/)
    const large = await failure(dust.sapiPostAssetDust({ asset: ['ETH', 'BTC'] }))
    expect(large).toBeInstanceOf(ccxt.ExchangeError)
    expect(large.message).toMatch(/-5004,"msg":"The residual balances of BTC have exceeded 0\.001BTC/)
    expect(sim.state.balances()['ETH']?.free).toBe(0.00009)
  })
})
