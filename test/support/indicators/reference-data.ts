/**
 * Loads the independent references in the shared folder (see ../shared.ts) for the indicator
 * tests. The CSVs are parsed here with a few lines of code of our own, so the tests do not
 * depend on the candle importer.
 */
import { expect } from 'vitest'
import type { CandleSeries } from '../../../src/main/indicators/core/series'
import { readShared, readSharedJson } from '../shared'

export const TALIB_CSV = 'data/talib/talib_regtest_daily_ref_252.csv'
export const BACKTRADER_CSV = 'data/backtrader/2006-day-001.txt'

/** Splits a simple CSV (no quoting) into a header and numeric-or-text rows. */
function csvRows(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase())
  return { header, rows: lines.slice(1).map((l) => l.split(',').map((c) => c.trim())) }
}

function column(header: string[], rows: string[][], name: string): Float64Array {
  const j = header.indexOf(name)
  if (j < 0) throw new Error(`column ${name} missing`)
  return Float64Array.from(rows, (r) => Number(r[j]))
}

/** The TA-Lib regression dataset; it has no dates, so time = row index (ms). */
export function talibSeries(): CandleSeries {
  const { header, rows } = csvRows(readShared(TALIB_CSV))
  return {
    time: column(header, rows, 'index'),
    open: column(header, rows, 'open'),
    high: column(header, rows, 'high'),
    low: column(header, rows, 'low'),
    close: column(header, rows, 'close'),
    volume: column(header, rows, 'volume'),
  }
}

/** backtrader's 2006 daily index data (Date,Open,High,Low,Close,Volume,OpenInterest). */
export function backtraderSeries(): CandleSeries {
  const { header, rows } = csvRows(readShared(BACKTRADER_CSV))
  const d = header.indexOf('date')
  return {
    time: Float64Array.from(rows, (r) => Date.parse(`${r[d]}T00:00:00Z`)),
    open: column(header, rows, 'open'),
    high: column(header, rows, 'high'),
    low: column(header, rows, 'low'),
    close: column(header, rows, 'close'),
    volume: column(header, rows, 'volume'),
  }
}

export interface TalibFullSeries {
  function: string
  params: Record<string, unknown>
  first_valid_index: number
  values: (number | null)[]
}

export interface TalibFull {
  n_bars: number
  input: Record<'open' | 'high' | 'low' | 'close' | 'volume', number[]>
  indicators: Record<string, TalibFullSeries>
}

export const talibFull = (): TalibFull => readSharedJson<TalibFull>('reference/talib_full_ref252.json')

export interface TalibCheckpoint {
  function: string
  params: Record<string, number | string>
  output: string
  input_bar_index: number
  expected: number
}

export const talibCheckpoints = (): { tolerance: string; checkpoints: TalibCheckpoint[] } =>
  readSharedJson('reference/talib_regtest_checkpoints.json')

export interface BacktraderIndicator {
  indicator: string
  params: Record<string, number | string>
  checkpoint_bar_indices: number[]
  lines: { line: string; expected: number[]; talib_0_6_same_bars?: number[] }[]
}

export const backtraderCheckpoints = (): { indicators: BacktraderIndicator[] } =>
  readSharedJson('reference/backtrader_checkpoints.json')

export interface TiVector {
  name: string
  params: Record<string, number | boolean>
  input: Record<string, number[]>
  expected: unknown[]
  recomputed_full_precision?: number[]
}

export const tiVectors = (): TiVector[] =>
  readSharedJson<{ vectors: TiVector[] }>('reference/technicalindicators_vectors.json').vectors

export function tiVector(name: string): TiVector {
  const v = tiVectors().find((x) => x.name === name)
  if (!v) throw new Error(`technicalindicators vector ${name} missing`)
  return v
}

/**
 * Asserts two series agree where the reference has a value and that ours is NaN exactly where
 * the reference has none: |actual - expected| <= rel × max(|expected|, 1).
 */
export function expectSeries(
  actual: Float64Array,
  expected: readonly (number | null)[],
  rel: number,
  label: string,
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]
    const a = actual[i]!
    if (e === null || e === undefined) {
      expect(Number.isNaN(a), `${label}: bar ${i} should be warm-up (NaN), got ${a}`).toBe(true)
    } else {
      const tol = rel * Math.max(Math.abs(e), 1)
      expect(Math.abs(a - e), `${label}: bar ${i} got ${a}, reference ${e}`).toBeLessThanOrEqual(tol)
    }
  }
}
