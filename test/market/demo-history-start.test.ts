import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const DAY = 86_400_000

describe("the demo market's first bar", () => {
  it('answers an older page before it with no bars (the chart reads: history starts here), not an exchange error', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    try {
      for (const timeframe of ['4h', '1w'] as const) {
        const res = await engine.registry.invoke(
          'market.candles',
          { source: 'demo', symbol: 'BTC/USDT', timeframe, to: Date.now() - 4000 * DAY, limit: 10 },
          ctx,
        )
        expect(res, timeframe).toMatchObject({ ok: true, value: { candles: { time: [] } } })
      }
    } finally {
      await engine.close()
    }
  })
})
