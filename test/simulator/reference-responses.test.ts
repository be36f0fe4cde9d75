import { describe, expect, it } from 'vitest'
import { readReference, useSimulators, type Opened } from './harness'

/** ../shared/reference/ccxt/binance_response_subset.json: raw Binance answers and ccxt's parse. */
interface ResponseCase {
  description: string
  method: string
  input: unknown[]
  httpResponse: unknown
  parsedResponse: unknown
}
interface ResponseReference {
  methods: Record<string, ResponseCase[]>
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** ccxt leaves unknown fields undefined where the stored JSON has null. */
function normalise(x: unknown): Json {
  if (x === undefined || x === null) return null
  if (Array.isArray(x)) return x.map(normalise)
  if (typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normalise(v)]))
  return x as Json
}

/** Raw fields compared as text: the stored raw answers have every scalar quoted ("orderId": "9780331417"). */
function asText(x: unknown): Json {
  if (Array.isArray(x)) return x.map(asText)
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, asText(v)]))
  return String(x)
}

const sortedKeys = (x: unknown) => Object.keys(x as object).sort()

/**
 * Same unified structure (same keys, same info keys), and the same values except the listed
 * fields, which carry ids and times that cannot match a recording.
 */
function expectSameOrder(
  ours: unknown,
  ref: unknown,
  differ: readonly string[],
  infoDiffer: readonly string[],
  label: string,
) {
  const o = normalise(ours) as Record<string, Json>
  const r = ref as Record<string, Json>
  expect(sortedKeys(o), label).toEqual(sortedKeys(r))
  for (const k of Object.keys(r)) {
    if (k === 'info' || differ.includes(k)) continue
    expect(o[k], `${label}: ${k}`).toEqual(r[k])
  }
  const oi = o['info'] as Record<string, Json>
  const ri = r['info'] as Record<string, Json>
  expect(sortedKeys(oi), `${label}: info keys`).toEqual(sortedKeys(ri))
  for (const k of Object.keys(ri)) {
    if (infoDiffer.includes(k)) continue
    expect(asText(oi[k]), `${label}: info.${k}`).toEqual(asText(ri[k]))
  }
}

const ORDER_IDS = [
  'id',
  'clientOrderId',
  'timestamp',
  'datetime',
  'lastTradeTimestamp',
  'lastUpdateTimestamp',
]
const ORDER_INFO_IDS = ['orderId', 'clientOrderId', 'transactTime', 'time', 'updateTime', 'workingTime']

/**
 * For each spot case: put the simulator in the state the recording came from, make the same ccxt
 * call, and compare ccxt's parse of our answer with its parse of Binance's.
 */
const SCENARIOS: Record<string, (x: Opened, c: ResponseCase) => Promise<void>> = {
  'spot +selfTradePrevention +iceberg': async ({ sim, ex }, c) => {
    sim.market.setPrice('SOLUSDT', 250, { freeze: true }) // so a buy at 241 rests, as recorded
    const ours = await ex.createOrder('SOL/USDT', 'limit', 'buy', 0.05, 241, {
      selfTradePrevention: 'expire_maker',
      icebergAmount: 0.03,
    })
    expectSameOrder(ours, c.parsedResponse, ORDER_IDS, ORDER_INFO_IDS, c.description)
  },
  'Fetch spot closed order': async ({ sim, ex }, c) => {
    sim.market.setPrice('LTCUSDT', 90.8, { freeze: true })
    const placed = await ex.createOrder('LTC/USDT', 'market', 'sell', 0.1, undefined, {
      selfTradePrevention: 'none',
    })
    const ours = await ex.fetchOrder(placed.id ?? '', 'LTC/USDT')
    expectSameOrder(ours, c.parsedResponse, ORDER_IDS, ORDER_INFO_IDS, c.description)
  },
  'Fetch spot open orders': async ({ sim, ex }, c) => {
    sim.market.setPrice('LTCUSDT', 80, { freeze: true })
    await ex.createOrder('LTC/USDT', 'limit', 'buy', 0.2, 50, { postOnly: true })
    const ours = await ex.fetchOpenOrders('LTC/USDT', undefined, 1)
    const ref = c.parsedResponse as unknown[]
    expect(ours).toHaveLength(ref.length)
    expectSameOrder(ours[0], ref[0], ORDER_IDS, ORDER_INFO_IDS, c.description)
  },
  'fetch spot orders': async ({ sim, ex }, c) => {
    sim.market.setPrice('LTCUSDT', 80, { freeze: true })
    const placed = await ex.createOrder('LTC/USDT', 'limit', 'buy', 0.1, 50)
    await ex.cancelOrder(placed.id ?? '', 'LTC/USDT')
    const ours = await ex.fetchOrders('LTC/USDT', undefined, 1)
    const ref = c.parsedResponse as unknown[]
    expect(ours).toHaveLength(ref.length)
    expectSameOrder(ours[0], ref[0], ORDER_IDS, ORDER_INFO_IDS, c.description)
  },
  'Spot private trade': async ({ sim, ex }, c) => {
    sim.market.setPrice('LTCUSDT', 69.63, { freeze: true })
    await ex.createOrder('LTC/USDT', 'market', 'sell', 0.2)
    const ours = await ex.fetchMyTrades('LTC/USDT', undefined, 1)
    const ref = c.parsedResponse as unknown[]
    expect(ours).toHaveLength(ref.length)
    expectSameOrder(
      ours[0],
      ref[0],
      ['timestamp', 'datetime', 'id', 'order'],
      ['id', 'orderId', 'time'],
      c.description,
    )
  },
  'Spot balance': async ({ ex }, c) => {
    const ours = await ex.fetchBalance()
    expectSameOrder(ours, c.parsedResponse, ['timestamp', 'datetime'], ['updateTime', 'uid'], c.description)
  },
  'Spot OHLCV with since and limit': async ({ ex }, c) => {
    const [symbol, timeframe, since, limit] = c.input as [string, string, number, number]
    const ours = await ex.fetchOHLCV(symbol, timeframe, since, limit)
    const ref = c.parsedResponse as number[][]
    expect(ours.map((k) => k[0])).toEqual(ref.map((k) => k[0]))
    for (const k of ours) {
      expect(k).toHaveLength(6)
      for (const v of k) expect(typeof v).toBe('number')
    }
  },
  'spot orderbook': async ({ sim, ex }, c) => {
    // The recorded top of book is 42574.30 / 42574.31: a one-tick spread, as simulated.
    sim.market.setPrice('BTCUSDT', 42_574.3, { freeze: true })
    const ours = normalise(await ex.fetchOrderBook('BTC/USDT', 2)) as Record<string, Json>
    const ref = c.parsedResponse as Record<string, Json>
    expect(sortedKeys(ours)).toEqual(sortedKeys(ref))
    for (const k of ['symbol', 'timestamp', 'datetime']) expect(ours[k]).toEqual(ref[k])
    expect(typeof ours['nonce']).toBe('number')
    const prices = (side: Json | undefined) => (side as number[][]).map((l) => l[0])
    expect(prices(ours['bids'])[0]).toBe(prices(ref['bids'])[0])
    expect(prices(ours['asks'])[0]).toBe(prices(ref['asks'])[0])
    expect((ours['bids'] as Json[]).length).toBe(2)
    expect((ours['asks'] as Json[]).length).toBe(2)
  },
  'public spot trades': async ({ ex }, c) => {
    const ours = await ex.fetchTrades('BTC/USDT', undefined, 1)
    const ref = c.parsedResponse as unknown[]
    expect(ours).toHaveLength(1)
    const differ = ['timestamp', 'datetime', 'id', 'side', 'price', 'amount', 'cost']
    expectSameOrder(ours[0], ref[0], differ, ['a', 'p', 'q', 'f', 'l', 'T', 'm'], c.description)
  },
  'public spot ticker': async ({ ex }, c) => {
    const ours = normalise(await ex.fetchTicker('BTC/USDT')) as Record<string, Json>
    const ref = c.parsedResponse as Record<string, Json>
    expect(sortedKeys(ours)).toEqual(sortedKeys(ref))
    expect(sortedKeys(ours['info'])).toEqual(sortedKeys(ref['info']))
    for (const k of Object.keys(ref)) {
      // Null in the recording (markPrice, indexPrice) must be null here; numbers must be numbers.
      expect(ref[k] === null ? ours[k] : typeof ours[k], k).toEqual(ref[k] === null ? null : typeof ref[k])
    }
    expect(ours['change']).toBeCloseTo((ours['last'] as number) - (ours['open'] as number), 6)
  },
}

function isSpot(c: ResponseCase): boolean {
  return c.input.every(
    (x) =>
      !(typeof x === 'string' && x.includes(':')) &&
      !(x !== null && typeof x === 'object' && 'type' in x && x.type !== 'spot'),
  )
}

describe('ccxt response reference: ccxt parses the simulator as it parses Binance', async () => {
  const ref = await readReference<ResponseReference>('ccxt/binance_response_subset.json')
  const cases = Object.values(ref.methods).flat()
  const open = useSimulators()

  it('has a scenario for every spot case and leaves out only derivatives', () => {
    const skipped = cases.filter((c) => !isSpot(c))
    console.warn(
      'response reference skipped (futures/inverse, not simulated): ' +
        skipped.map((c) => `${c.method} "${c.description}"`).join(', '),
    )
    expect(
      cases
        .filter(isSpot)
        .map((c) => c.description)
        .sort(),
    ).toEqual(Object.keys(SCENARIOS).sort())
  })

  for (const c of cases.filter(isSpot)) {
    it(`${c.method}: ${c.description}`, async () => {
      const scenario = SCENARIOS[c.description]
      if (!scenario) throw new Error(`no scenario for ${c.description}`)
      // The recorded account holds exactly these three assets; the others need funds to trade.
      const balances: Record<string, number | string> =
        c.description === 'Spot balance'
          ? { BTC: 0, LTC: '0.919741', ETH: '0.02229833' }
          : { USDT: 10_000, LTC: 1, SOL: 1 }
      await scenario(await open({ balances }), c)
    })
  }
})
