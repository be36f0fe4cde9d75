import type { Account, Position } from '../../../../shared/domain/trading'

/**
 * Which accounts can convert dust, in the renderer's words. It mirrors the engine's venues
 * (trading/venue-features.ts: the paper venue converts into its quote asset, Binance's venue
 * into BNB); the engine still decides, and refuses any other venue with its own message.
 */

/** A dust position the conversion would take: a long balance below its market's lot step. */
export interface DustRow {
  symbol: string
  asset: string
  quote: string
  amount: string
}

export type DustVenue = { kind: 'paper' } | { kind: 'binance' } | { kind: 'none'; reason: string }

/** The exchange as the trader reads it (`binance` -> `Binance`). */
export function exchangeLabel(exchangeId: string): string {
  return exchangeId.charAt(0).toUpperCase() + exchangeId.slice(1)
}

export function dustVenueOf(account: Pick<Account, 'mode' | 'exchangeId' | 'name'> | undefined): DustVenue {
  if (!account) return { kind: 'none', reason: 'Choose an account to convert its dust' }
  if (account.mode === 'imported') {
    return { kind: 'none', reason: `${account.name} holds imported trades; nothing in it can be converted` }
  }
  if (account.mode === 'paper') return { kind: 'paper' }
  if (account.exchangeId.startsWith('binance')) return { kind: 'binance' }
  return {
    kind: 'none',
    reason: `${exchangeLabel(account.exchangeId)} does not convert small balances; sell them when they reach the lot step`,
  }
}

/** The positions a conversion takes: long dust only (a short below the step owes coins). */
export function dustRows(positions: readonly Position[]): DustRow[] {
  return positions
    .filter((p) => p.side === 'dust' && !p.amount.startsWith('-') && !/^0(\.0*)?$/.test(p.amount))
    .map((p) => ({ symbol: p.symbol, asset: p.base, quote: p.quote, amount: p.amount }))
}

/** What happens to the dust, in the venue's words, for the confirmation. */
export function dustOutcome(venue: DustVenue, quote: string): string {
  switch (venue.kind) {
    case 'binance':
      return 'Converted to BNB at Binance’s rate, less its 2% fee. This cannot be undone.'
    case 'paper':
      return `Sold into ${quote} at the bid less 2%.`
    default:
      return venue.reason
  }
}
