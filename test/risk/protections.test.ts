import { describe, expect, it } from 'vitest'
import { activeLocks, entryLock, type ClosedTrade, type Protection } from '../../src/main/risk/protections'
import { Decimal } from '../../src/main/trading/decimal'

const MIN = 60_000
const T0 = Date.UTC(2025, 0, 6, 12)
const dec = Decimal.parse

function trade(
  symbol: string,
  minute: number,
  pnl: string,
  ratio: string,
  exit: ClosedTrade['exitReason'] = 'signal',
): ClosedTrade {
  return { symbol, closedAt: T0 + minute * MIN, pnl: dec(pnl), profitRatio: dec(ratio), exitReason: exit }
}

describe('strategy protections', () => {
  it('cooldown after a stop-loss: the symbol is locked for the cooldown after its stop-loss exit, then free', () => {
    const p: Protection[] = [{ type: 'cooldown', cooldownMs: 30 * MIN }]
    const trades = [trade('BTC/USDT', 0, '-10', '-0.01', 'stop_loss'), trade('ETH/USDT', 0, '5', '0.01')]
    const locks = activeLocks(p, trades, T0 + 29 * MIN)
    expect(locks).toEqual([
      {
        rule: 'cooldown',
        symbol: 'BTC/USDT',
        until: T0 + 30 * MIN,
        reason: 'Cooldown after a stop-loss on BTC/USDT: 30 min',
      },
    ])
    expect(entryLock(locks, 'ETH/USDT')).toBeNull()
    // Exactly at the end of the cooldown the symbol is free.
    expect(activeLocks(p, trades, T0 + 30 * MIN)).toEqual([])
    // A later exit that was not a stop-loss ends the cooldown's reason to be.
    expect(activeLocks(p, [...trades, trade('BTC/USDT', 5, '3', '0.01')], T0 + 6 * MIN)).toEqual([])
  })

  it('stop-loss guard: the N-th stop-loss within the lookback locks (N-1 does not), per symbol or for all', () => {
    const guard = (perSymbol: boolean): Protection[] => [
      { type: 'stop_loss_guard', lookbackMs: 60 * MIN, tradeLimit: 3, lockMs: 120 * MIN, perSymbol },
    ]
    const two = [
      trade('BTC/USDT', 0, '-1', '-0.01', 'stop_loss'),
      trade('BTC/USDT', 10, '-1', '-0.01', 'stop_loss'),
    ]
    expect(activeLocks(guard(true), two, T0 + 20 * MIN)).toEqual([])
    const three = [...two, trade('ETH/USDT', 20, '-1', '-0.01', 'stop_loss')]
    expect(activeLocks(guard(true), three, T0 + 21 * MIN)).toEqual([])
    const [all] = activeLocks(guard(false), three, T0 + 21 * MIN)
    expect(all).toMatchObject({ rule: 'stop_loss_guard', symbol: '*', until: T0 + 140 * MIN })
    expect(all!.reason).toBe('Stop-loss guard: 3 stop-losses within 60 min (limit 3)')
    // The first one leaves the lookback window at minute 60: (now - lookback, now].
    expect(activeLocks(guard(false), three, T0 + 60 * MIN)).toEqual([])
  })

  it('drawdown pause: strictly above the limit locks everything; equal does not', () => {
    const pause = (max: string): Protection[] => [
      {
        type: 'drawdown_pause',
        lookbackMs: 24 * 60 * MIN,
        tradeLimit: 2,
        lockMs: 60 * MIN,
        maxDrawdown: dec(max),
        startingCapital: dec('1000'),
      },
    ]
    // 1000 -> 1100 (peak) -> 990: 10 % below the peak.
    const trades = [trade('BTC/USDT', 0, '100', '0.1'), trade('ETH/USDT', 10, '-110', '-0.1')]
    expect(activeLocks(pause('0.1'), trades, T0 + 11 * MIN)).toEqual([])
    const [lock] = activeLocks(pause('0.09'), trades, T0 + 11 * MIN)
    expect(lock).toMatchObject({ rule: 'drawdown_pause', symbol: '*', until: T0 + 70 * MIN })
    expect(lock!.reason).toBe('Drawdown pause: 10.00 % drawdown over 1440 min (limit 9 %)')
    expect(entryLock([lock!], 'SOL/USDT')).toBe(lock)
  })

  it('low-profit pause: a symbol whose recent trades sum below the required profit is locked; at it, not', () => {
    const p = (required: string): Protection[] => [
      {
        type: 'low_profit_pause',
        lookbackMs: 60 * MIN,
        tradeLimit: 2,
        lockMs: 30 * MIN,
        requiredProfit: dec(required),
      },
    ]
    const trades = [
      trade('BTC/USDT', 0, '1', '0.005'),
      trade('BTC/USDT', 5, '-2', '-0.015'),
      trade('ETH/USDT', 5, '9', '0.05'),
    ]
    expect(activeLocks(p('-0.01'), trades, T0 + 6 * MIN)).toEqual([])
    const locks = activeLocks(p('0'), trades, T0 + 6 * MIN)
    expect(locks).toEqual([
      {
        rule: 'low_profit_pause',
        symbol: 'BTC/USDT',
        until: T0 + 35 * MIN,
        reason: 'Low-profit pause on BTC/USDT: -1.00 % over 2 trades (needs 0 %)',
      },
    ])
  })
})
