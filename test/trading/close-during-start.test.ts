import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { silentLogger, type Logger } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

describe('closing the engine while start-up reconciliation runs', () => {
  it('stops the reconciliation before the database closes: nothing fails, nothing is logged', async () => {
    const dir = tempDir()
    const first = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    const accounts = await first.registry.invoke('trading.accounts', {}, ctx)
    if (!accounts.ok) throw new Error(accounts.error.message)
    const accountId = (accounts.value as { id: string; mode: string }[]).find((a) => a.mode === 'paper')!.id
    // The risk engine's runaway guards (500 resting orders, 20 orders a second) are lifted: this
    // book is meant to be big and placed at once.
    const lifted = await first.registry.invoke(
      'risk.setLimits',
      {
        scope: 'global',
        limits: { maxOpenOrders: null, maxOrdersPerSecond: null, maxOrdersPerMinute: null },
      },
      ctx,
    )
    if (!lifted.ok) throw new Error(lifted.error.message)
    // More resting orders than one chunk (500), so reconciliation yields to the event loop.
    for (let i = 0; i < 1_200; i++) {
      const res = await first.registry.invoke(
        'trading.placeOrder',
        { accountId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.01', price: '500' },
        ctx,
      )
      if (!res.ok) throw new Error(res.error.message)
    }
    await first.close()

    const said: string[] = []
    const log: Logger = {
      ...silentLogger,
      warn: (m, d) => said.push(`WARN ${m} ${String(d)}`),
      error: (m, d) => said.push(`ERROR ${m} ${String(d)}`),
    }
    const second = createEngine({ dataDir: dir, host: 'headless', log })
    await second.close()
    // Whatever was still to run after close would meet a closed database a moment later.
    await new Promise((r) => setTimeout(r, 200))
    expect(said).toEqual([])
  })
})
