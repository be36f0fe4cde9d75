import type { Candle } from '../../shared/domain/candles'
import { sortIssues, type RowIssue } from './issues'
import type { SourceRows } from './source-rows'
import { iso } from './time-text'

/** Parsed bars in time order, with a way back to each bar's time in the file. */
export interface ReadRows {
  candles: Candle[]
  issues: RowIssue[]
  rowsRead: number
  timeless: boolean
  /** Line and column of the time of `candles[index]`. */
  locate(index: number): { line: number; column: number }
}

/**
 * Puts bars in time order and reports duplicate and out-of-order times. A file written newest
 * first (as some brokers and websites export) is read backwards rather than rejected: when
 * most neighbouring rows go down in time, the file is reversed before checking. Any issue
 * with `skipBad` off empties `candles`, so no caller can write half a file by mistake.
 */
export function finishRows(src: SourceRows, file: string, skipBad: boolean): ReadRows {
  const { bars, refs, issues } = src
  if (!src.timeless && mostlyDescending(bars)) {
    bars.reverse()
    refs.reverse()
  }
  let candles = bars
  let keptRefs = refs
  if (!src.timeless) {
    candles = []
    keptRefs = []
    for (let i = 0; i < bars.length; i++) {
      const bar = bars[i]!
      const prev = candles[candles.length - 1]
      if (!prev || bar.time > prev.time) {
        candles.push(bar)
        keptRefs.push(refs[i]!)
        continue
      }
      const prevLine = src.locateTime(keptRefs[keptRefs.length - 1]!).line
      const message =
        bar.time === prev.time
          ? `duplicate time ${iso(bar.time)} (also on line ${prevLine})`
          : `time out of order: ${iso(bar.time)} comes after ${iso(prev.time)} (line ${prevLine})`
      issues.push({ file, ...src.locateTime(refs[i]!), field: 'time', message })
    }
  }
  sortIssues(issues)
  const usable = issues.length === 0 || skipBad
  const outRefs = usable ? keptRefs : []
  return {
    candles: usable ? candles : [],
    issues,
    rowsRead: src.rowsRead,
    timeless: src.timeless,
    locate: (index) => {
      const ref = outRefs[index]
      return ref === undefined ? { line: 0, column: 0 } : src.locateTime(ref)
    },
  }
}

function mostlyDescending(bars: readonly Candle[]): boolean {
  let up = 0
  let down = 0
  for (let i = 1; i < bars.length; i++) {
    const d = bars[i]!.time - bars[i - 1]!.time
    if (d > 0) up++
    else if (d < 0) down++
  }
  return down > up
}
