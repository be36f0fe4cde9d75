import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Candle } from '../src/shared/domain/candles'
import { readCandleRange, readLatestCandles, upsertCandles } from '../src/main/storage/candle-store'
import { closeDatabase, openDatabase } from '../src/main/storage/database'
import { bestOf, report } from './harness'

/**
 * Candle store: rows/s inserted in one transaction, ms to read 100,000 bars (as columns, the
 * chart's path, and as bar objects), and ms to rewrite one bar of a stored block (the cost of a
 * block's read-modify-write, paid by small updates).
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-store-'))
  try {
    const db = openDatabase(join(dir, 'bench.db'))
    const n = 200_000
    const bars: Candle[] = Array.from({ length: n }, (_, i) => {
      const p = 100 + Math.sin(i / 50) * 5
      return { time: i * 60_000, open: p, high: p + 1, low: p - 1, close: p + 0.5, volume: 10 + (i % 7) }
    })
    let round = 0
    const insertMs = bestOf(
      () => {
        upsertCandles(db, { source: 'bench', symbol: `S${round++}`, timeframe: '1m' }, bars)
      },
      { warmup: 1, minRuns: 3, minMs: 0 },
    )
    report({
      name: 'candle_store.insert',
      value: Math.round(n / (insertMs / 1000)),
      unit: 'rows/s',
      rows: n,
      goal: 500_000,
    })

    const key = { source: 'bench', symbol: 'S0', timeframe: '1m' as const }
    const readMs = bestOf(() => {
      readLatestCandles(db, key, Number.MAX_SAFE_INTEGER, 100_000)
    })
    report({ name: 'candle_store.read_100k', value: Number(readMs.toFixed(2)), unit: 'ms', goal: 50 })

    const rangeMs = bestOf(() => {
      readCandleRange(db, key, 50_000 * 60_000, 149_999 * 60_000)
    })
    report({ name: 'candle_store.read_range_100k', value: Number(rangeMs.toFixed(2)), unit: 'ms' })

    const middle = bars[100_000]!
    let bump = 0
    const oneMs = bestOf(() => {
      upsertCandles(db, key, [{ ...middle, close: middle.close + ++bump }])
    })
    report({ name: 'candle_store.upsert_1', value: Number(oneMs.toFixed(3)), unit: 'ms' })
    closeDatabase(db)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
