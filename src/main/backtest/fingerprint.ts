/**
 * What makes a run reproducible: its settings, the strategy's source hash and its data's
 * fingerprint. The same three give the same result bit for bit (the engine has no clock, no
 * randomness and no iteration over unordered collections); `resultHash` proves it.
 */
import { createHash } from 'node:crypto'
import type { CandleSeries } from '../indicators'
import type { BacktestResult } from './result'
import type { StrategyDefinition } from './strategy'

const sha256 = (): ReturnType<typeof createHash> => createHash('sha256')

/** Source of a strategy: its id and the text of its factory (whose closure holds the decision). */
export function strategySourceHash(def: StrategyDefinition, source?: string): string {
  const h = sha256()
  h.update(def.id)
  h.update('\0')
  h.update(source ?? def.create.toString())
  return h.digest('hex')
}

/** sha256 over each symbol's name and the raw bytes of its columns (the bars the run reads). */
export function dataFingerprint(
  data: readonly { symbol: string; series: CandleSeries; fine?: CandleSeries }[],
): string {
  const h = sha256()
  for (const { symbol, series, fine } of data) {
    h.update(symbol)
    h.update('\0')
    for (const col of [series.time, series.open, series.high, series.low, series.close, series.volume])
      h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength))
    // Finer bars (intrabar) are bars the run reads too; a run without them hashes as before.
    if (fine) {
      h.update('\0fine\0')
      for (const col of [fine.time, fine.open, fine.high, fine.low, fine.close, fine.volume])
        h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength))
    }
  }
  return h.digest('hex')
}

/** JSON with keys sorted, so the same settings always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )
}

/** sha256 of every number of a result, by its bits (NaN and -0 included). */
export function resultHash(r: BacktestResult): string {
  const h = sha256()
  const nums = (a: Float64Array): void => void h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
  nums(r.equity.time)
  nums(r.equity.value)
  nums(r.drawdown)
  for (const t of r.trades) {
    h.update(`${t.symbol}|${t.exitReason}|`)
    nums(
      Float64Array.of(
        t.entryTime,
        t.exitTime,
        t.entryPrice,
        t.exitPrice,
        t.size,
        t.pnl,
        t.returnPct,
        t.fees,
        t.slippage,
        t.borrow,
        t.mae,
        t.mfe,
        t.barsHeld,
        t.entryBar,
        t.exitBar,
      ),
    )
  }
  h.update(
    canonicalJson([r.ambiguousBars, r.intrabarBars, r.rejectedOrders, r.workingAtEnd, r.feesPaid, r.flags]),
  )
  return h.digest('hex')
}
