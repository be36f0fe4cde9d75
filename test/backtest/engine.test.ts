// The engine's guarantees on real data: no look-ahead, bit-for-bit reproducibility, every
// built-in strategy runs, portfolios share one cash account.
import { describe, expect, it } from 'vitest'
import { parseCandleFile } from '../../src/main/importing/parse'
import { candleSeries, type CandleSeries } from '../../src/main/indicators'
import { runBacktest } from '../../src/main/backtest/engine'
import { dataFingerprint, resultHash, strategySourceHash } from '../../src/main/backtest/fingerprint'
import { parseSettings, type BacktestSettingsInput } from '../../src/main/backtest/settings'
import { STRATEGIES, getStrategy } from '../../src/main/backtest/strategies'
import type { BarState, OrderIntent, StrategyInstance } from '../../src/main/backtest/strategy'

const btc = candleSeries(parseCandleFile('../shared/data/freqtrade/UNITTEST_BTC-1m.json').candles)
const eth = candleSeries(parseCandleFile('../shared/data/freqtrade/ETH_BTC-5m.json').candles)
const ltc = candleSeries(parseCandleFile('../shared/data/freqtrade/LTC_BTC-5m.json').candles)

function head(s: CandleSeries, n: number): CandleSeries {
  return {
    time: s.time.slice(0, n),
    open: s.open.slice(0, n),
    high: s.high.slice(0, n),
    low: s.low.slice(0, n),
    close: s.close.slice(0, n),
    volume: s.volume.slice(0, n),
  }
}

function instance(id: string, params: object = {}): StrategyInstance {
  const d = getStrategy(id)
  return d.create(d.params.parse(params))
}

/** Records every decision's bar index and orders, passing them through. */
function recording(inner: StrategyInstance): { inst: StrategyInstance; log: string[] } {
  const log: string[] = []
  return {
    log,
    inst: {
      ...inner,
      decide(bar: BarState): readonly OrderIntent[] {
        const out = inner.decide(bar)
        if (out.length > 0) log.push(`${bar.index}:${bar.position}:${JSON.stringify(out)}`)
        return out
      },
    },
  }
}

const SETTINGS: BacktestSettingsInput = {
  sides: 'both',
  fees: { taker: 0.001, maker: 0.0005, fixed: 0.00001 },
  slippage: { bps: 2, volumeShare: 0.5 },
  borrowRate: 0.1,
  closeAtEnd: false,
}

describe('no look-ahead', () => {
  it('decisions, fills and equity up to bar t are the same whether or not later bars exist', () => {
    const params = { fast: 5, slow: 20, stopLoss: 1, takeProfit: 2, trailing: 1.5, exitUnit: 'atr' }
    const full = recording(instance('ema-cross', params))
    const whole = runBacktest(full.inst, [{ symbol: 'BTC', series: btc }], parseSettings(SETTINGS))
    expect(whole.trades.length).toBeGreaterThan(50)
    for (const t of [500, 3_001, 7_777, 12_000]) {
      const cut = recording(instance('ema-cross', params))
      const part = runBacktest(
        cut.inst,
        [{ symbol: 'BTC', series: head(btc, t + 1) }],
        parseSettings(SETTINGS),
      )
      expect(cut.log).toEqual(full.log.filter((l) => Number(l.split(':')[0]) <= t))
      expect(part.trades).toEqual(whole.trades.filter((x) => x.exitBar <= t))
      expect(Array.from(part.equity.value)).toEqual(Array.from(whole.equity.value.subarray(0, t + 1)))
    }
  })
})

describe('no look-ahead in a portfolio', () => {
  it('two symbols sharing cash: the same up to time t with every bar after t removed', () => {
    const params = { fast: 5, slow: 20, stopLoss: 1, exitUnit: 'atr' }
    const settings = parseSettings({ ...SETTINGS, sizing: { mode: 'percent', value: 0.5 }, fill: 'close' })
    const whole = runBacktest(
      instance('ema-cross', params),
      [
        { symbol: 'ETH', series: eth },
        { symbol: 'LTC', series: ltc },
      ],
      settings,
    )
    expect(whole.trades.length).toBeGreaterThan(20)
    for (const k of [1_000, 4_321]) {
      const t = whole.equity.time[k]!
      const upTo = (s: CandleSeries): CandleSeries =>
        head(
          s,
          s.time.findIndex((x) => x > t),
        )
      const part = runBacktest(
        instance('ema-cross', params),
        [
          { symbol: 'ETH', series: upTo(eth) },
          { symbol: 'LTC', series: upTo(ltc) },
        ],
        settings,
      )
      expect(part.trades).toEqual(whole.trades.filter((x) => x.exitTime <= t))
      expect(Array.from(part.equity.value)).toEqual(Array.from(whole.equity.value.subarray(0, k + 1)))
    }
  })
})

describe('reproducibility', () => {
  it('the same settings, strategy source and data give the same result bit for bit', () => {
    const d = getStrategy('sma-cross')
    const go = (): string =>
      resultHash(
        runBacktest(
          instance('sma-cross', { fast: 7, slow: 25 }),
          [{ symbol: 'BTC', series: btc }],
          parseSettings(SETTINGS),
        ),
      )
    const a = go()
    expect(go()).toBe(a)
    expect(strategySourceHash(d)).toBe(strategySourceHash(getStrategy('sma-cross')))
    expect(strategySourceHash(d)).not.toBe(strategySourceHash(getStrategy('ema-cross')))
    const fp = dataFingerprint([{ symbol: 'BTC', series: btc }])
    const changed = head(btc, btc.time.length)
    changed.close[100] = changed.close[100]! + 1e-9
    expect(dataFingerprint([{ symbol: 'BTC', series: changed }])).not.toBe(fp)
    // and a different input gives a different hash (the hash does read the result)
    const other = resultHash(
      runBacktest(
        instance('sma-cross', { fast: 7, slow: 25 }),
        [{ symbol: 'BTC', series: changed }],
        parseSettings(SETTINGS),
      ),
    )
    expect(other).not.toBe(a)
  })
})

describe('built-in strategies', () => {
  it.each(STRATEGIES.map((s) => s.id))('%s trades on real data with its defaults and with exits', (id) => {
    const plain = runBacktest(
      instance(id),
      [{ symbol: 'BTC', series: btc }],
      parseSettings({ sides: 'both' }),
    )
    expect(plain.trades.length).toBeGreaterThan(0)
    const withExits = runBacktest(
      instance(id, { stopLoss: 0.5, takeProfit: 1, trailing: 0.5 }),
      [{ symbol: 'BTC', series: btc }],
      parseSettings({ sides: 'both' }),
    )
    expect(withExits.trades.some((t) => t.exitReason !== 'signal' && t.exitReason !== 'end')).toBe(true)
    for (const t of plain.trades) expect(t.exitBar).toBeGreaterThanOrEqual(t.entryBar)
  })

  it('parameters are checked with the field named', () => {
    expect(() => getStrategy('sma-cross').params.parse({ fast: 30, slow: 10 })).toThrow(
      /fast must be below slow/,
    )
    expect(() => getStrategy('nope')).toThrow(/Unknown strategy "nope"/)
  })

  it('sma-cross long only: a cross below closes the long and opens nothing', () => {
    const r = runBacktest(instance('sma-cross'), [{ symbol: 'BTC', series: btc }], parseSettings({}))
    expect(r.trades.every((t) => t.size > 0)).toBe(true)
  })
})

describe('portfolio', () => {
  it('several symbols share one cash account, capped by the open-position limit', () => {
    const data = [
      { symbol: 'ETH', series: eth },
      { symbol: 'LTC', series: ltc },
    ]
    const one = runBacktest(
      instance('ema-cross', { fast: 5, slow: 20 }),
      data,
      parseSettings({ sizing: { mode: 'percent', value: 0.5 }, maxOpenPositions: 1 }),
    )
    const symbols = new Set(one.trades.map((t) => t.symbol))
    expect(symbols.size).toBe(2)
    // never two positions at once
    const spans = one.trades.map((t) => [t.entryTime, t.exitTime] as const).sort((a, b) => a[0] - b[0])
    for (let k = 1; k < spans.length; k++) expect(spans[k]![0]).toBeGreaterThanOrEqual(spans[k - 1]![1])
    expect(one.rejectedOrders).toBeGreaterThan(0)
    // the timeline is the union of both series' times
    const times = new Set([...eth.time, ...ltc.time])
    expect(one.equity.time.length).toBe(times.size)
  })

  it('from/to: bars before from warm indicators up, bars after to are never read', () => {
    const from = btc.time[5000]!
    const to = btc.time[9000]!
    const r = runBacktest(
      instance('sma-cross', { fast: 10, slow: 200 }),
      [{ symbol: 'BTC', series: btc }],
      parseSettings({ from, to }),
    )
    expect(r.equity.time[0]).toBe(from)
    expect(r.equity.time.at(-1)).toBe(to)
    expect(r.ranges.BTC).toMatchObject({ start: 5000, end: 9000, warmup: 0 })
    expect(r.trades.every((t) => t.entryBar >= 5000 && t.exitBar <= 9000)).toBe(true)
  })
})
