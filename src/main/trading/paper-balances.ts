import { AppError } from '../../shared/contract/errors'
import { Decimal, toDecimal, type DecimalString } from './decimal'
import type { PaperStatements } from './paper-book'
import type { BalanceLookup, VenueBalance } from './venue'

type Held = { free: Decimal; used: Decimal }

/**
 * A paper account's balances: read and written one row per asset, or, during a batch, held in
 * memory (read once) and the changed ones written once at its end, so that a tick filling many
 * orders, or a batch of orders, touches each balance row once instead of once per fill.
 *
 * Balances are exact decimals: every fill moves them by exactly its cost, amount and fee, so a
 * balance is always its starting value plus the sum of its fills, to the last unit. A check of
 * funds compares exactly (no tolerance).
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
    for (const r of this.s.balances.all(this.accountId)) values.set(r.asset, read(r))
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
      const b = this.batch ? this.batch.values.get(asset) : this.stored(asset)
      return b && { free: b.free, used: b.used, total: b.free.plus(b.used) }
    },
  }

  all(): Map<string, VenueBalance> {
    const out = new Map<string, VenueBalance>()
    const rows = this.batch
      ? this.batch.values
      : this.s.balances.all(this.accountId).map((r) => [r.asset, read(r)] as const)
    for (const [asset, b] of rows) out.set(asset, { free: b.free, used: b.used, total: b.free.plus(b.used) })
    return out
  }

  /** Sets one balance outright (a new or reset account). */
  set(asset: string, free: Decimal): void {
    this.s.setBalance.run(this.accountId, asset, free.toString(), '0')
  }

  hasFree(asset: string, amount: Decimal): boolean {
    return amount.lte(this.held(asset).free)
  }

  requireFree(asset: string, amount: Decimal): void {
    if (!this.hasFree(asset, amount)) {
      throw new AppError(
        'insufficient_funds',
        `Account has insufficient balance for requested action: needs ${amount.toString()} ${asset}, ${this.held(asset).free.toString()} free`,
      )
    }
  }

  adjust(asset: string, dFree: Decimal, dUsed: Decimal): void {
    const b = this.held(asset)
    const next = { free: b.free.plus(dFree), used: dUsed.isZero() ? b.used : b.used.plus(dUsed) }
    if (this.batch) {
      this.batch.values.set(asset, next)
      this.batch.dirty.add(asset)
    } else {
      this.write(asset, next)
    }
  }

  reserve(asset: string, amount: Decimal): void {
    this.adjust(asset, amount.neg(), amount)
  }

  release(asset: string, amount: Decimal): void {
    this.adjust(asset, amount, amount.neg())
  }

  private held(asset: string): Held {
    if (this.batch) {
      let held = this.batch.values.get(asset)
      if (!held) this.batch.values.set(asset, (held = { free: Decimal.ZERO, used: Decimal.ZERO }))
      return held
    }
    return this.stored(asset) ?? { free: Decimal.ZERO, used: Decimal.ZERO }
  }

  private stored(asset: string): Held | undefined {
    const r = this.s.balance.get(this.accountId, asset)
    return r && read(r)
  }

  private write(asset: string, b: Held): void {
    this.s.setBalance.run(this.accountId, asset, b.free.toString(), b.used.toString())
  }
}

function read(r: { free: DecimalString; used: DecimalString }): Held {
  return { free: toDecimal(r.free), used: toDecimal(r.used) }
}
