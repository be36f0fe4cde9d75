import { AppError } from '../../shared/contract/errors'
import { clean, plain } from './decimal'
import type { PaperStatements } from './paper-book'
import type { BalanceLookup, VenueBalance } from './venue'

type Held = { free: number; used: number }

/**
 * A paper account's balances: read and written one row per asset, or, during a batch, held in
 * memory (read once) and the changed ones written once at its end, so that a tick filling many
 * orders, or a batch of orders, touches each balance row once instead of once per fill.
 */
export class PaperBalances {
  private batch: { values: Map<string, Held>; dirty: Set<string> } | null = null

  constructor(
    private readonly s: Pick<PaperStatements, 'balance' | 'balances' | 'setBalance'>,
    private readonly accountId: string,
  ) {}

  get inBatch(): boolean {
    return this.batch !== null
  }

  /** Holds the balances in memory until `endBatch`; must run inside the caller's transaction. */
  beginBatch(): void {
    const values = new Map<string, Held>()
    for (const r of this.s.balances.all(this.accountId)) values.set(r.asset, { free: r.free, used: r.used })
    this.batch = { values, dirty: new Set() }
  }

  /** Writes what the batch changed (`write = false`: forgets it, the transaction is failing). */
  endBatch(write: boolean): void {
    const batch = this.batch
    this.batch = null
    if (write && batch) for (const asset of batch.dirty) this.write(asset, batch.values.get(asset)!)
  }

  /** One balance on demand: a batch validates each order against one asset, not all of them. */
  readonly lookup: BalanceLookup = {
    get: (asset) => {
      const b = this.batch ? this.batch.values.get(asset) : this.s.balance.get(this.accountId, asset)
      return b && { free: clean(b.free), used: clean(b.used), total: clean(b.free + b.used) }
    },
  }

  all(): Map<string, VenueBalance> {
    const out = new Map<string, VenueBalance>()
    const rows = this.batch
      ? this.batch.values
      : this.s.balances.all(this.accountId).map((r) => [r.asset, r] as const)
    for (const [asset, b] of rows) {
      out.set(asset, { free: clean(b.free), used: clean(b.used), total: clean(b.free + b.used) })
    }
    return out
  }

  /** Sets one balance outright (a new or reset account). */
  set(asset: string, free: number): void {
    this.s.setBalance.run(this.accountId, asset, free, 0)
  }

  hasFree(asset: string, amount: number): boolean {
    const free = this.held(asset).free
    return amount <= free * (1 + 1e-12) + 1e-12
  }

  requireFree(asset: string, amount: number): void {
    if (!this.hasFree(asset, amount)) {
      throw new AppError(
        'insufficient_funds',
        `Account has insufficient balance for requested action: needs ${plain(amount, 8)} ${asset}, ${plain(this.held(asset).free, 8)} free`,
      )
    }
  }

  adjust(asset: string, dFree: number, dUsed: number): void {
    const b = this.held(asset)
    if (this.batch) {
      b.free += dFree
      b.used += dUsed
      this.batch.dirty.add(asset)
    } else {
      this.write(asset, { free: b.free + dFree, used: b.used + dUsed })
    }
  }

  reserve(asset: string, amount: number): void {
    this.adjust(asset, -amount, amount)
  }

  release(asset: string, amount: number): void {
    this.adjust(asset, amount, -amount)
  }

  private held(asset: string): Held {
    if (this.batch) {
      let held = this.batch.values.get(asset)
      if (!held) this.batch.values.set(asset, (held = { free: 0, used: 0 }))
      return held
    }
    return this.s.balance.get(this.accountId, asset) ?? { free: 0, used: 0 }
  }

  private write(asset: string, b: Held): void {
    // Clamp dust: sums of doubles may leave -1e-13 where the true value is 0.
    const free = clean(b.free)
    const used = clean(b.used)
    this.s.setBalance.run(
      this.accountId,
      asset,
      Math.abs(free) < 1e-12 ? 0 : free,
      Math.abs(used) < 1e-12 ? 0 : used,
    )
  }
}
