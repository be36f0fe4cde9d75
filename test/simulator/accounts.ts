import { parseUnits, unitsFromNumber, type Units } from './decimal'

export interface Balance {
  free: Units
  locked: Units
}

/** Initial balances as given by tests or the CLI: numbers or decimal strings per asset. */
export type BalanceInit = Record<string, number | string>

function toUnits(v: number | string): Units {
  if (typeof v === 'number') return unitsFromNumber(v)
  const u = parseUnits(v)
  if (typeof u !== 'bigint') throw new Error(`bad balance amount: ${v}`)
  return u
}

/**
 * One API key's spot account. Balances only change through the operations below, each of which
 * refuses to go negative, so a matching bug shows up as a thrown error rather than a silently
 * negative balance.
 */
export class Account {
  private balances = new Map<string, Balance>()
  updateTime: number

  constructor(
    readonly apiKey: string,
    readonly secret: string,
    readonly uid: number,
    private readonly initial: BalanceInit,
    now: number,
  ) {
    this.updateTime = now
    this.reset(now)
  }

  reset(now: number): void {
    this.balances = new Map()
    for (const [asset, amount] of Object.entries(this.initial))
      this.balances.set(asset, { free: toUnits(amount), locked: 0n })
    this.updateTime = now
  }

  get(asset: string): Balance {
    let b = this.balances.get(asset)
    if (!b) {
      b = { free: 0n, locked: 0n }
      this.balances.set(asset, b)
    }
    return b
  }

  /** Assets in the order they were first seen (initial balances first, like a real account). */
  entries(): Array<[string, Balance]> {
    return [...this.balances.entries()]
  }

  set(asset: string, amount: number | string, now: number): void {
    this.get(asset).free = toUnits(amount)
    this.updateTime = now
  }

  credit(asset: string, u: Units, now: number): void {
    this.get(asset).free += u
    this.updateTime = now
  }

  debit(asset: string, u: Units, now: number): void {
    const b = this.get(asset)
    if (b.free < u) throw new Error(`internal: ${asset} free ${b.free} < ${u}`)
    b.free -= u
    this.updateTime = now
  }

  lock(asset: string, u: Units, now: number): void {
    this.debit(asset, u, now)
    this.get(asset).locked += u
  }

  /** Moves `u` out of locked, back to free. */
  unlock(asset: string, u: Units, now: number): void {
    const b = this.get(asset)
    if (b.locked < u) throw new Error(`internal: ${asset} locked ${b.locked} < ${u}`)
    b.locked -= u
    b.free += u
    this.updateTime = now
  }

  /** Spends `u` straight out of locked (a resting order filling). */
  spendLocked(asset: string, u: Units, now: number): void {
    const b = this.get(asset)
    if (b.locked < u) throw new Error(`internal: ${asset} locked ${b.locked} < ${u}`)
    b.locked -= u
    this.updateTime = now
  }
}
