/** The drift report's CSV (runner/drift-csv.ts): one table, formula-injection safe, plain numbers. */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { DRIFT_HEADERS, driftCsvText } from '../../src/main/runner/drift-csv'
import { useTempDirs } from '../support/temp-dir'
import type { DriftReport } from '../../src/shared/contract/runner'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const T = Date.UTC(2026, 0, 2, 3, 4)
const report: DriftReport = {
  runId: 'r1',
  bars: 12,
  decisions: [
    { barTime: T, backtest: ['buy'], live: [], status: 'rejected', why: '=HYPERLINK("x") refused by risk' },
    { barTime: T + 60_000, backtest: ['sell', 'buy'], live: ['sell'], status: 'different', why: null },
  ],
  differing: 2,
  fills: [
    {
      barTime: T + 60_000,
      clientOrderId: '-cmd',
      side: 'sell',
      modelPrice: 100.5,
      livePrice: 100.4,
      slippageBps: 9.950248756218906,
    },
  ],
  backtestPnl: 1.5e-7,
  livePnl: -2.25,
  pnlDifference: -2.25000015,
}

describe('drift report CSV', () => {
  it('writes a summary row, then each decision and fill; text guarded, numbers plain, times ISO UTC', () => {
    const { text, rows } = driftCsvText(report)
    const lines = text.split('\r\n')
    expect(lines.at(-1)).toBe('') // every line ends with \r\n
    expect(lines[0]).toBe(DRIFT_HEADERS.join(','))
    expect(rows).toBe(4)
    expect(lines.slice(1, -1)).toEqual([
      'summary,,,,,,,,,,,12,2,0.00000015,-2.25,-2.25000015',
      // A cell that would be a formula in a spreadsheet is text: a leading ' (and quoted for its ").
      `decision,2026-01-02T03:04:00.000Z,buy,,rejected,"'=HYPERLINK(""x"") refused by risk",,,,,,,,,,`,
      'decision,2026-01-02T03:05:00.000Z,sell; buy,sell,different,,,,,,,,,,,',
      `fill,2026-01-02T03:05:00.000Z,,,,,'-cmd,sell,100.5,100.4,9.950248756218906,,,,,`,
    ])
  })
})

describe('runner.exportDrift (the desktop app)', () => {
  it('writes the report where the save dialog chose; a dismissed dialog writes nothing', async () => {
    const dir = tempDir()
    let answer: string | null = join(dir, 'drift.csv')
    const asked: { kind: string; defaultName: string }[] = []
    const engine = createEngine({
      dataDir: join(dir, 'data'),
      host: 'desktop',
      log: silentLogger,
      computeWorkers: 1,
      chooseExportFile: (q) => {
        asked.push(q)
        return Promise.resolve(answer)
      },
    })
    try {
      const started = await engine.registry.invoke(
        'runner.start',
        {
          strategyId: 'sma-cross',
          params: { fast: 2, slow: 5 },
          accountId: 'demo-paper',
          symbol: 'BTC/USDT',
          timeframe: '1m',
          allocation: '1000',
        },
        ctx,
      )
      if (!started.ok) throw new Error(started.error.message)
      const runId = (started.value as { id: string }).id
      const saved = await engine.registry.invoke('runner.exportDrift', { runId }, ctx)
      expect(saved).toMatchObject({ ok: true, value: { file: join(dir, 'drift.csv') } })
      expect(asked[0]).toMatchObject({ kind: 'drift report' })
      expect(asked[0]!.defaultName).toMatch(
        new RegExp(`^candlework-drift-${runId}-\\d{4}-\\d\\d-\\d\\d\\.csv$`),
      )
      const text = readFileSync(join(dir, 'drift.csv'), 'utf8')
      expect(text.startsWith(DRIFT_HEADERS.join(',') + '\r\nsummary,')).toBe(true)

      answer = null
      rmSync(join(dir, 'drift.csv'))
      expect(await engine.registry.invoke('runner.exportDrift', { runId }, ctx)).toEqual({
        ok: true,
        value: { file: null, rows: 0 },
      })
      expect(existsSync(join(dir, 'drift.csv'))).toBe(false)
    } finally {
      await engine.close()
    }
  })
})
