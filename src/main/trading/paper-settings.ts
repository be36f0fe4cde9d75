import type { Db } from '../storage/database'
import type { DecimalString } from './decimal'

/**
 * A paper account's settings. The starting amount is exact decimal text (stored as TEXT); the
 * fee and slippage rates are settings in basis points (decimal.ts's bpsToFraction turns them
 * into exact fractions where they are used).
 */
export interface PaperSettings {
  /** The asset the account starts with and is reset to (USDT). */
  startingAsset: string
  startingAmount: DecimalString
  makerFeeBps: number
  takerFeeBps: number
  /** Market (and triggered stop) orders fill this far beyond the best bid/ask. */
  slippageBps: number
}

export const DEFAULT_PAPER_SETTINGS: PaperSettings = {
  startingAsset: 'USDT',
  startingAmount: '10000',
  makerFeeBps: 10,
  takerFeeBps: 10,
  slippageBps: 5,
}

interface SettingsRow {
  starting_asset: string
  starting_amount: DecimalString
  maker_fee_bps: number
  taker_fee_bps: number
  slippage_bps: number
}

/** A paper account's stored settings, if it has any yet. */
export function loadPaperSettings(db: Db, accountId: string): PaperSettings | undefined {
  const row = db
    .prepare<[string], SettingsRow>('SELECT * FROM paper_settings WHERE account_id = ?')
    .get(accountId)
  return (
    row && {
      startingAsset: row.starting_asset,
      startingAmount: row.starting_amount,
      makerFeeBps: row.maker_fee_bps,
      takerFeeBps: row.taker_fee_bps,
      slippageBps: row.slippage_bps,
    }
  )
}

export function insertPaperSettings(db: Db, accountId: string, s: PaperSettings, now: number): void {
  db.prepare(
    `INSERT INTO paper_settings (account_id, starting_asset, starting_amount, maker_fee_bps, taker_fee_bps, slippage_bps, reset_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(accountId, s.startingAsset, s.startingAmount, s.makerFeeBps, s.takerFeeBps, s.slippageBps, now)
}

/** Records a reset: the new starting balance and when. */
export function recordPaperReset(
  db: Db,
  accountId: string,
  asset: string,
  amount: DecimalString,
  now: number,
): void {
  db.prepare(
    'UPDATE paper_settings SET starting_asset = ?, starting_amount = ?, reset_at = ? WHERE account_id = ?',
  ).run(asset, amount, now, accountId)
}
