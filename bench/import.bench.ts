import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCandleFile } from '../src/main/importing/parse'
import { bestOf, report } from './harness'

/** Candle file import: rows/s parsed and checked for a 100,000-row date-time CSV. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-import-'))
  try {
    const n = 100_000
    const start = Date.UTC(2020, 0, 1)
    const lines = ['Datetime,Open,High,Low,Close,Volume']
    for (let i = 0; i < n; i++) {
      const t = new Date(start + i * 60_000).toISOString().replace('T', ' ').slice(0, 19)
      const p = 100 + Math.sin(i / 50) * 10
      lines.push(
        `${t},${p.toFixed(4)},${(p + 1).toFixed(4)},${(p - 1).toFixed(4)},${(p + 0.5).toFixed(4)},${i % 997}`,
      )
    }
    const file = join(dir, 'big.csv')
    writeFileSync(file, lines.join('\n'))
    const ms = bestOf(() => void parseCandleFile(file), { warmup: 1, minRuns: 3, minMs: 0 })
    report({
      name: 'import.parse_csv_100k',
      value: Math.round(ms),
      unit: 'ms',
      rowsPerSecond: Math.round(n / (ms / 1000)),
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
