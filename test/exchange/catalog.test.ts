import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { exchangeCatalog, type CcxtModule } from '../../src/main/exchange/ccxt-loader'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, useRig } from './support'

/*
 * The exchange picker's list: every exchange's name and the credentials its keys consist of,
 * from ccxt itself (its `requiredCredentials`), made once per engine and answered from memory.
 */
const rig = useRig(useTempDirs())

/** ccxt with every exchange class counting its instances. */
function countingCcxt(): { module: CcxtModule; made: () => number } {
  let made = 0
  const classes: Record<string, unknown> = {}
  for (const id of ccxt.exchanges) {
    const Base = (ccxt as unknown as Record<string, new (c?: object) => object>)[id]!
    classes[id] = class extends Base {
      constructor(config?: object) {
        super(config)
        made++
      }
    }
  }
  const module = { ...ccxt, ...classes, exchanges: ccxt.exchanges, pro: ccxt.pro } as unknown as CcxtModule
  return { module, made: () => made }
}

describe('the exchange list', () => {
  it('names each exchange and the credentials its API keys need (passphrase for OKX and KuCoin, uid for CoinMate)', async () => {
    const { invoke } = await rig()
    const list = expectOk(await invoke('exchange.list', {}))
    const of = (id: string) => list.find((e) => e.id === id)
    expect(of('okx')).toMatchObject({ name: 'OKX', credentials: ['apiKey', 'secret', 'password'] })
    expect(of('kucoin')).toMatchObject({ name: 'KuCoin', credentials: ['apiKey', 'secret', 'password'] })
    expect(of('bitget')?.credentials).toEqual(['apiKey', 'secret', 'password'])
    expect(of('coinmate')?.credentials).toEqual(['apiKey', 'secret', 'uid'])
    expect(of('ndax')?.credentials).toEqual(['apiKey', 'secret', 'password', 'uid', 'login'])
    expect(of('hyperliquid')?.credentials).toEqual(['privateKey', 'walletAddress'])
    expect(of('kraken')).toMatchObject({ name: 'Kraken', credentials: ['apiKey', 'secret'] })
    // Every entry agrees with an instance of its class.
    for (const e of list.filter((_, i) => i % 10 === 0)) {
      const ex = new (ccxt as unknown as Record<string, new () => { name: string }>)[e.id]!()
      expect(e.name).toBe(ex.name)
    }
  })

  it('makes each exchange once per engine, however often it is asked, and says how long that took', async () => {
    const { module, made } = countingCcxt()
    const built: number[] = []
    const first = await exchangeCatalog(module, (ms) => built.push(ms))
    expect(made()).toBe(ccxt.exchanges.length)
    expect(first.size).toBe(ccxt.exchanges.length)
    const started = performance.now()
    const again = await Promise.all([
      exchangeCatalog(module),
      exchangeCatalog(module),
      exchangeCatalog(module),
    ])
    const cachedMs = performance.now() - started
    expect(made()).toBe(ccxt.exchanges.length)
    expect(again.every((c) => c === first)).toBe(true)
    expect(built).toHaveLength(1)
    expect(built[0]).toBeGreaterThan(0)
    // From memory: no instance made, nothing near the build's cost.
    expect(cachedMs).toBeLessThan(built[0]!)
  })

  it('answers exchange.list from memory after the first call', async () => {
    const { invoke, hub } = await rig()
    const { module, made } = countingCcxt()
    ;(hub as unknown as { deps: { loadCcxt: () => Promise<CcxtModule> } }).deps.loadCcxt = () =>
      Promise.resolve(module)
    const first = expectOk(await invoke('exchange.list', {}))
    const count = made()
    expect(count).toBe(ccxt.exchanges.length)
    const second = expectOk(await invoke('exchange.list', {}))
    expect(second).toEqual(first)
    expect(made()).toBe(count)
  })
})
