import { Decimal } from '../../shared/decimal/decimal'
import type { OrderSide } from '../../shared/domain/trading'

const THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/
const ASSET_AMOUNT = /^(-?[\d,]*\.?\d+)\s*([A-Za-z][A-Za-z0-9]*)$/

/**
 * A decimal cell as canonical decimal text, or undefined. Read exactly (never through a
 * double): `0.00100000` is `0.001`. Accepts `1,234.56` (thousands separators, as Binance's
 * English export writes large prices; a comma is never a decimal point here) and a leading `+`.
 */
export function decimalCell(text: string): string | undefined {
  let s = text.trim()
  if (s.startsWith('+')) s = s.slice(1)
  if (THOUSANDS.test(s)) s = s.replace(/,/g, '')
  return Decimal.tryParse(s)?.toString()
}

/** `0.00100000BTC` (Binance's Executed, Amount and Fee cells): the amount and its asset. */
export function assetAmountCell(text: string): { amount: string; asset: string | null } | undefined {
  const plain = decimalCell(text)
  if (plain !== undefined) return { amount: plain, asset: null }
  const m = ASSET_AMOUNT.exec(text.trim())
  if (!m) return undefined
  const amount = decimalCell(m[1]!)
  return amount === undefined ? undefined : { amount, asset: m[2]!.toUpperCase() }
}

/** buy/sell from `BUY`, `Sell`, `B`, `S`, and Tradervue's `BOT`, `SLD`, `Short`, `Cover`... */
export function sideCell(text: string, loose: boolean): OrderSide | undefined {
  const s = text.trim().toLowerCase()
  if (s === 'buy') return 'buy'
  if (s === 'sell') return 'sell'
  if (!loose) return undefined
  // Tradervue: "needs to start with a B or an S for buy or sell"; Cover is a buy.
  if (s.startsWith('b') || s === 'cover' || s === 'bc') return 'buy'
  if (s.startsWith('s')) return 'sell'
  return undefined
}

/** A positive decimal cell, or a message naming what is wrong. */
export function positive(text: string, what: string): string | { error: string } {
  const v = decimalCell(text)
  if (v === undefined) return { error: `${what} "${text}" is not a number` }
  if (!Decimal.parse(v).isPositive()) return { error: `${what} ${v} is not above zero` }
  return v
}
