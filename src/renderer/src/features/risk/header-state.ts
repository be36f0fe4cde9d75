import type { RiskOverview, StateEntry } from '../../../../shared/contract/risk'

const SEVERITY = { ACTIVE: 0, REDUCING: 1, HALTED: 2 } as const

/** What the header shows: the strictest state any account trades under, where, and why. */
export interface HeaderState {
  state: StateEntry['state']
  /** `all accounts`, or the account's name (and how many others share a non-ACTIVE state). */
  where: string
  reason: string
}

export function headerState(o: RiskOverview | null): HeaderState | null {
  if (!o) return null
  if (o.global.state !== 'ACTIVE')
    return { state: o.global.state, where: 'all accounts', reason: o.global.reason }
  const restricted = o.accounts
    .filter((a) => a.effective.state !== 'ACTIVE')
    .sort((a, b) => SEVERITY[b.effective.state] - SEVERITY[a.effective.state])
  const worst = restricted[0]
  if (!worst) return { state: 'ACTIVE', where: 'all accounts', reason: 'no limit reached' }
  const more = restricted.length - 1
  return {
    state: worst.effective.state,
    where: more > 0 ? `${worst.accountName} and ${more} more` : worst.accountName,
    reason: worst.effective.reason,
  }
}
