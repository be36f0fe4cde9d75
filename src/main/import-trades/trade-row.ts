import type { OrderSide } from '../../shared/domain/trading'
import type { ImportedFacts, TraderEdit } from '../journal/trade'

/**
 * One fill read from a trade file, before it is given an account: every amount canonical
 * decimal text (src/shared/decimal), the time in ms (UTC).
 */
export interface TradeRow {
  /** 1-based line of the row in the file (JSON: where its object starts). */
  line: number
  /** The exchange's trade id, when the file has one. */
  tradeId: string | null
  orderId: string | null
  clientOrderId: string | null
  symbol: string
  side: OrderSide
  amount: string
  price: string
  /** In quote; null: amount × price. */
  cost: string | null
  fee: { cost: string; currency: string } | null
  takerOrMaker: 'taker' | 'maker' | null
  time: number
}

/** The file cannot be read at all (unknown format, no rows, broken JSON); nothing is written. */
export class TradeFileError extends Error {
  override readonly name = 'TradeFileError'
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message)
  }

  get where(): string {
    if (this.line === undefined) return this.file
    return this.column === undefined
      ? `${this.file}:${this.line}`
      : `${this.file}:${this.line}:${this.column}`
  }
}

/**
 * What a trades file row says about its trade beyond its fills, written beside them (write.ts)
 * under the trade's key: that of its first fill (`time`, `tradeId`).
 */
export interface ImportedTrade {
  line: number
  symbol: string
  time: number
  tradeId: string
  edit: TraderEdit | null
  facts: ImportedFacts
}
