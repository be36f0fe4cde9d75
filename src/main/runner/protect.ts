/**
 * The risk domain's protections (risk/protections.ts) over a run's own closed trades: the lock
 * that applies to its symbol now, if any. The runner pauses the run with the lock's reason until
 * the lock ends (entries only: closes still go), then it goes on by itself.
 */
import type { RunProtection } from '../../shared/contract/runner'
import { activeLocks, entryLock, type ClosedTrade, type Lock, type Protection } from '../risk/protections'
import { Decimal } from '../trading/decimal'
import type { RunRow } from './store'

const MIN = 60_000

export function toProtection(p: RunProtection, allocation: Decimal): Protection {
  switch (p.type) {
    case 'cooldown':
      return { type: 'cooldown', cooldownMs: p.minutes * MIN }
    case 'stop_loss_guard':
      return {
        type: 'stop_loss_guard',
        lookbackMs: p.lookbackMinutes * MIN,
        tradeLimit: p.tradeLimit,
        lockMs: p.lockMinutes * MIN,
        perSymbol: true,
      }
    case 'drawdown_pause':
      return {
        type: 'drawdown_pause',
        lookbackMs: p.lookbackMinutes * MIN,
        tradeLimit: p.tradeLimit,
        lockMs: p.lockMinutes * MIN,
        maxDrawdown: Decimal.parse(p.maxDrawdown),
        startingCapital: allocation,
      }
    case 'low_profit_pause':
      return {
        type: 'low_profit_pause',
        lookbackMs: p.lookbackMinutes * MIN,
        tradeLimit: p.tradeLimit,
        lockMs: p.lockMinutes * MIN,
        requiredProfit: Decimal.parse(p.requiredProfit),
      }
  }
}

export function protectionLock(run: RunRow, trades: readonly ClosedTrade[], now: number): Lock | null {
  if (run.protections.length === 0 || trades.length === 0) return null
  const allocation = Decimal.parse(run.allocation)
  const locks = activeLocks(
    run.protections.map((p) => toProtection(p, allocation)),
    trades,
    now,
  )
  return entryLock(locks, run.symbol)
}
