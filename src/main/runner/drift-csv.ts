import type { DriftReport } from '../../shared/contract/runner'
import { EOL, csvField, guardText } from '../export/csv-text'
import { isoTimeFormatter } from '../export/iso-time'
import { plainNumber } from '../export/plain-number'
import { writeCsvFile, type WriteCsvResult } from '../export/write-csv'

/**
 * A drift report as one CSV table (docs/BACKTEST.md "Drift report"): a `summary` row (bars
 * replayed, decisions that differ, both P&Ls and their difference), then a row per decision
 * (both sides' orders, status, why) and per live fill (model and live price, slippage in bps).
 * Columns a record does not have stay empty. Text cells are guarded against formula injection
 * as every export is (csv-text.ts); numbers are plain, times ISO UTC.
 */
export const DRIFT_HEADERS = [
  'record',
  'bar_time',
  'backtest',
  'live',
  'status',
  'why',
  'client_order_id',
  'side',
  'model_price',
  'live_price',
  'slippage_bps',
  'bars',
  'differing',
  'backtest_pnl',
  'live_pnl',
  'pnl_difference',
] as const

export function driftCsvLines(report: DriftReport): string[] {
  const iso = isoTimeFormatter()
  const text = (s: string | null): string => csvField(guardText(s ?? ''))
  const row = (cells: Partial<Record<(typeof DRIFT_HEADERS)[number], string>>): string =>
    DRIFT_HEADERS.map((h) => cells[h] ?? '').join(',')
  const lines = [
    row({
      record: 'summary',
      bars: String(report.bars),
      differing: String(report.differing),
      backtest_pnl: plainNumber(report.backtestPnl),
      live_pnl: plainNumber(report.livePnl),
      pnl_difference: plainNumber(report.pnlDifference),
    }),
  ]
  for (const d of report.decisions) {
    lines.push(
      row({
        record: 'decision',
        bar_time: iso(d.barTime),
        backtest: text(d.backtest.join('; ')),
        live: text(d.live.join('; ')),
        status: d.status,
        why: text(d.why),
      }),
    )
  }
  for (const f of report.fills) {
    lines.push(
      row({
        record: 'fill',
        bar_time: iso(f.barTime),
        client_order_id: text(f.clientOrderId),
        side: f.side,
        model_price: plainNumber(f.modelPrice),
        live_price: plainNumber(f.livePrice),
        slippage_bps: plainNumber(f.slippageBps),
      }),
    )
  }
  return lines
}

/** The whole file's text (header and rows, `\r\n` lines), for a download. */
export function driftCsvText(report: DriftReport): { text: string; rows: number } {
  const lines = driftCsvLines(report)
  return { text: [DRIFT_HEADERS.join(','), ...lines].join(EOL) + EOL, rows: lines.length }
}

/** Writes the report where the desktop's save dialog chose (a temporary file renamed when complete). */
export function writeDriftCsv(file: string, report: DriftReport): Promise<WriteCsvResult> {
  const lines = driftCsvLines(report)
  return writeCsvFile({
    file,
    headers: [...DRIFT_HEADERS],
    lines: [lines][Symbol.iterator](),
    total: lines.length,
  })
}
