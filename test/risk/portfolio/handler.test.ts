/**
 * risk.portfolio on a real paper account (trading service, SQLite) with the demo market's daily
 * history as returns: what a new user sees in the Risk view.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createComputePool } from '../../../src/main/compute-pool'
import { createDemoMarket } from '../../../src/main/demo'
import { silentLogger } from '../../../src/main/log'
import { portfolioRisk } from '../../../src/main/risk/portfolio/handler'
import { marketBarSource } from '../../../src/main/signals/bars'
import { portfolioRiskSchema } from '../../../src/shared/contract/risk-portfolio'
import { A, riskSetup } from '../support'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('risk.portfolio', () => {
  it('values the paper positions and reads VaR, correlations and stress from the demo history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-portfolio-'))
    dirs.push(dir)
    const s = riskSetup(dir)
    await s.buy('2')
    await s.trading.placeOrder({
      accountId: A,
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'market',
      amount: '50',
    })
    const pool = createComputePool({ log: silentLogger, size: 1 })
    try {
      const out = await portfolioRisk(
        {
          compute: pool,
          bars: marketBarSource(s.db, createDemoMarket()),
          accounts: () => s.trading.accounts(),
          positions: (id) => s.trading.positions(id),
          now: () => Date.now(),
        },
        { paths: 20_000, custom: { shocks: { BTC: -0.5 }, other: -0.1 } },
      )
      expect(portfolioRiskSchema.parse(out)).toEqual(out)
      // 2 BTC at 100 and 50 ETH at 10 (the test's prices).
      expect(out.exposure.byAsset).toEqual([
        { key: 'ETH', value: 500 },
        { key: 'BTC', value: 200 },
      ])
      expect(out.correlation.assets.sort()).toEqual(['BTC', 'ETH'])
      expect(out.methods).toHaveLength(4)
      for (const m of out.methods) {
        expect(m.window.returns).toBeGreaterThan(90)
        expect(m.oneDay.var95).toBeGreaterThan(0)
        expect(m.oneDay.es99!).toBeGreaterThanOrEqual(m.oneDay.var99!)
        expect(m.nDays.var95).not.toBeNull()
      }
      const custom = out.stress.find((r) => r.id === 'custom')!
      expect(custom.name).toBe('Custom: BTC −50 %, others −10 %')
      expect(custom.total).toBeCloseTo(-100 - 50, 9)
      expect(out.stress.map((r) => r.id)).toEqual(['covid-2020-03', 'luna-2022-05', 'ftx-2022-11', 'custom'])
    } finally {
      await pool.close()
      await s.risk.close()
      s.db.close()
    }
  })
})
