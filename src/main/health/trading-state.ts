import type { TradingStates } from '../../shared/contract/health'
import type { StateEntry } from '../../shared/contract/risk'
import type { Judged } from './thresholds'

/**
 * The trading states as health items (docs/HEALTH.md): ACTIVE is green; REDUCING amber; HALTED
 * red when a rule or the kill switch set it (something went wrong), amber when the trader set it
 * (a choice, but orders still cannot be placed). One item for the global state, one per account
 * whose own state is not ACTIVE.
 */
export function judgeTradingState(e: StateEntry, where: string): Judged {
  if (e.state === 'ACTIVE') return { state: 'ok', advice: null }
  const why = `${where} is ${e.state} (${e.reason}, set by ${e.setBy.replace('_', ' ')})`
  const until =
    e.until === null ? '' : ` until ${new Date(e.until).toISOString().slice(0, 16).replace('T', ' ')} UTC`
  if (e.state === 'REDUCING') {
    return {
      state: 'warning',
      advice: `${why}${until}: only orders that reduce exposure are accepted. Open the Risk view to see the limit that was hit; set it ACTIVE there when it is safe.`,
    }
  }
  return {
    state: e.setBy === 'trader' ? 'warning' : 'critical',
    advice: `${why}${until}: no new orders or changes are accepted (cancels still are). Open the Risk view to see why; set it ACTIVE there when it is safe.`,
  }
}

export function tradingChecks(t: TradingStates): (Judged & { item: string; label: string })[] {
  const out = [
    { item: 'trading.global', label: 'Trading (all accounts)', ...judgeTradingState(t.global, 'Trading') },
  ]
  for (const a of t.accounts) {
    if (a.state.state === 'ACTIVE') continue
    out.push({
      item: `trading:${a.accountId}`,
      label: `Trading on ${a.accountName}`,
      ...judgeTradingState(a.state, a.accountName),
    })
  }
  return out
}
