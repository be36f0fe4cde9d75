import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { prepareImport, writeImport } from '../../src/main/importing/import-file'
import { silentLogger } from '../../src/main/log'
import { SeriesWatch } from '../../src/main/market/series-watch'
import { databaseFile } from '../../src/main/paths'
import { upsertCandles } from '../../src/main/storage/candle-store'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import type { SymbolInfo } from '../../src/shared/contract/market'
import { dataFile, runImport } from '../importing/helpers'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const goog = dataFile('backtesting.py/GOOG.csv')

async function until(check: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const end = Date.now() + limitMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('series written by another connection', () => {
  it('are noticed by the watch; more bars of a listed series are not a change', () => {
    const dir = tempDir()
    const engineDb = openDatabase(databaseFile(dir))
    const cliDb = openDatabase(databaseFile(dir))
    const watch = new SeriesWatch(engineDb, 60_000)
    try {
      let changes = 0
      const stop = watch.subscribe(() => changes++)
      expect(watch.check()).toBe(false)
      writeImport(
        cliDb,
        prepareImport({ file: goog, source: 'import', symbol: 'GOOG', timeframe: '1d', skipBad: false }),
      )
      expect(watch.check()).toBe(true)
      expect(changes).toBe(1)
      upsertCandles(cliDb, { source: 'import', symbol: 'GOOG', timeframe: '1d' }, [
        { time: Date.UTC(2013, 2, 4), open: 1, high: 1, low: 1, close: 1, volume: 1 },
      ])
      expect(watch.check()).toBe(false)
      stop()
      expect(changes).toBe(1)
    } finally {
      watch.close()
      closeDatabase(cliDb)
      closeDatabase(engineDb)
    }
  })

  it('reach a running engine: the CLI imports GOOG and market.symbolsChanged asks for the list again', async () => {
    const dir = tempDir()
    const engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    const { client, disconnect } = memoryPair(engine.registry)
    try {
      const symbols = async (): Promise<string[]> => {
        const res = await engine.registry.invoke('market.symbols', {}, ctx)
        if (!res.ok) throw new Error(res.error.message)
        return (res.value as SymbolInfo[]).map((s) => s.symbol)
      }
      expect(await symbols()).not.toContain('GOOG')
      const events: unknown[] = []
      let ended: unknown
      client.subscribe(
        'market.symbolsChanged',
        {},
        (e) => events.push(e),
        (e) => (ended = e),
      )
      // The CLI opens the data folder's database itself, as it does from another process.
      const res = await runImport([
        '--file',
        goog,
        '--symbol',
        'GOOG',
        '--timeframe',
        '1d',
        '--data-dir',
        dir,
      ])
      expect(res.err).toBe('')
      await until(() => events.length > 0 || ended !== undefined, 'market.symbolsChanged')
      expect(ended).toBeUndefined()
      expect(await symbols()).toContain('GOOG')
    } finally {
      disconnect()
      await engine.close()
    }
  })
})
