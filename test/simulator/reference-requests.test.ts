import { describe, expect, it } from 'vitest'
import { readReference, useSimulators } from './harness'

/** ../shared/reference/ccxt/binance_request_subset.json: ccxt calls and the exact requests they make. */
interface RequestCase {
  description: string
  method: string
  url: string
  input: unknown[]
  output?: string
}
interface RequestReference {
  skipKeys: string[]
  methods: Record<string, RequestCase[]>
}

const SPOT_HOSTS = ['api.binance.com', 'testnet.binance.vision']

/** The simulator serves Binance spot; futures cases (fapi/dapi hosts) are out of its scope. */
const isSpot = (c: RequestCase) => SPOT_HOSTS.includes(new URL(c.url).host)

/** Cases that address orders which do not exist here: the right answer is Binance's error. */
const EXPECTED_CODE: Record<string, number> = {
  'Spot cancelOrder': -2011,
  'Spot fetchOrder': -2013,
  'edit spot order': -2022,
}

function expectedParams(c: RequestCase, skip: readonly string[]): Record<string, string> {
  const url = new URL(c.url)
  const all = new URLSearchParams(url.search)
  for (const [k, v] of new URLSearchParams(c.output ?? '')) all.append(k, v)
  return Object.fromEntries([...all].filter(([k]) => !skip.includes(k)))
}

function expectedMethod(c: RequestCase): string {
  if (c.output !== undefined) return 'POST'
  return c.method.startsWith('cancel') ? 'DELETE' : 'GET'
}

const nullToUndefined = (xs: unknown[]) => xs.map((x) => (x === null ? undefined : x))

describe('ccxt request reference: the simulator accepts and reads what ccxt sends', async () => {
  const ref = await readReference<RequestReference>('ccxt/binance_request_subset.json')
  const cases = Object.values(ref.methods).flat()
  const spot = cases.filter(isSpot)
  const open = useSimulators()

  it('covers every spot case of the reference and leaves out only futures ones', () => {
    const skipped = cases.filter((c) => !isSpot(c))
    console.warn(
      `request reference: ${spot.length} spot cases run; skipped (futures hosts, not simulated): ` +
        skipped.map((c) => `${c.method} "${c.description}"`).join(', '),
    )
    expect(spot.length).toBeGreaterThanOrEqual(30)
    for (const c of skipped) expect(new URL(c.url).host).toMatch(/^(fapi|dapi|testnet\.binancefuture)\./)
  })

  it('each spot call reaches the same endpoint with the same parameters, and is interpreted right', async () => {
    const { sim, ex } = await open({ balances: { USDT: 100_000, BTC: 1, LTC: 10, SOL: 10, ETH: 1 } })
    sim.market.setPrice('LTCUSDT', 80, { freeze: true })
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    // So that "Spot cancelAllOrders" cancels something rather than answering -2011.
    await ex.createOrder('LTC/USDT', 'limit', 'buy', 0.1, 60)
    for (const c of spot) {
      const before = sim.state.requests().length
      const fn = (ex as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[c.method]
      if (!fn) throw new Error(`ccxt has no ${c.method}`)
      const result = await fn.apply(ex, nullToUndefined(c.input)).then(
        () => 'ok',
        (e: Error) => e.message,
      )
      const made = sim.state.requests().slice(before)
      const label = `${c.method} "${c.description}" (${result})`
      expect(made, label).toHaveLength(1)
      const rec = made[0]
      if (!rec) continue
      const url = new URL(c.url)
      expect([rec.method, rec.path], label).toEqual([expectedMethod(c), url.pathname])
      const got = Object.fromEntries(Object.entries(rec.params).filter(([k]) => !ref.skipKeys.includes(k)))
      expect(got, label).toEqual(expectedParams(c, ref.skipKeys))
      expect(rec.unread, label).toEqual([])
      expect(rec.code, label).toBe(EXPECTED_CODE[c.description])

      // Interpretation: the order the simulator created carries what was asked.
      if (rec.kind === 'createOrder') {
        const p = rec.params
        const [order] = sim.state.orders({ clientOrderId: p['newClientOrderId'] ?? '' })
        expect(order, label).toBeDefined()
        expect([order?.symbol, order?.side, order?.type], label).toEqual([p['symbol'], p['side'], p['type']])
        if (p['price'] !== undefined) expect(order?.price, label).toBe(Number(p['price']))
        if (p['quantity'] !== undefined) expect(order?.origQty, label).toBe(Number(p['quantity']))
        if (p['quoteOrderQty'] !== undefined)
          expect(order?.origQuoteOrderQty, label).toBe(Number(p['quoteOrderQty']))
        if (p['icebergQty'] !== undefined) expect(order?.icebergQty, label).toBe(Number(p['icebergQty']))
        if (p['trailingDelta'] !== undefined)
          expect(order?.trailingDelta, label).toBe(Number(p['trailingDelta']))
        if (p['selfTradePreventionMode'] !== undefined) {
          expect(order?.selfTradePreventionMode, label).toBe(p['selfTradePreventionMode'])
        }
      }
    }
    expect(sim.state.orders({ symbol: 'LTCUSDT', status: 'CANCELED' }).length).toBeGreaterThanOrEqual(1)
  })
})
