import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { createExchangeDomain } from '../../src/main/exchange/domain'
import { memorySecretStore } from '../../src/main/secrets/store'
import { closeDatabase } from '../../src/main/storage/database'
import { startSimulator } from '../simulator/server'
import { memoryPair, registryWith } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import { offsetClock, openExchangeDb, until } from './support'

const newDir = useTempDirs()

/** Through the real registry and an in-memory transport. */
describe('exchange domain behind the handler registry', () => {
  it('answers commands and streams over the wire', async () => {
    const sim = await startSimulator()
    const db = openExchangeDb(newDir())
    const domain = createExchangeDomain({
      db,
      clock: offsetClock(),
      secrets: memorySecretStore(),
      log: silentLogger,
      feed: { pollIntervalMs: 20 },
    })
    const { client, disconnect } = memoryPair(registryWith(domain.handlers))
    const call = client.invoke.bind(client) as (
      name: string,
      params: unknown,
    ) => Promise<{ ok: boolean; value?: unknown }>
    try {
      expect((await call('exchange.configure', { exchange: 'binance', apiUrl: sim.url })).ok).toBe(true)
      const t = await call('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
      expect(t).toMatchObject({ ok: true, value: { exchange: 'binance', symbol: 'BTC/USDT' } })
      const bad = await call('exchange.setKeys', { exchange: 'binance', apiKey: 'x', secret: 'y', extra: 1 })
      expect(bad).toMatchObject({ ok: false, error: { kind: 'validation' } })
      const events: unknown[] = []
      const sub = (
        client as unknown as { subscribe(n: string, p: unknown, on: (e: unknown) => void): unknown }
      ).subscribe('exchange.watchTicker', { exchange: 'binance', symbol: 'ETH/USDT' }, (e: unknown) =>
        events.push(e),
      )
      expect(sub).toBeDefined()
      await until(() => events.length > 0, 'a ticker event over the wire')
      // A custom API URL takes the websockets along (the simulator serves them too).
      expect(events[0]).toMatchObject({ symbol: 'ETH/USDT', transport: 'websocket' })
    } finally {
      disconnect()
      await domain.close()
      closeDatabase(db)
      await sim.close()
    }
  })
})
