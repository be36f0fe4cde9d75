/**
 * Paper accounts' starting balances, one per asset (USDT 10,000 and BTC 0.5), through the whole
 * engine: set when the account is made and when it is reset, kept as the exact decimal strings
 * typed, restored by a reset without balances, refused with the field named when wrong, and
 * forgotten with the account.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AppErrorShape, Result } from '../../src/shared/contract/errors'
import type { Account, Balance } from '../../src/shared/domain/trading'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { memorySecretStore } from '../../src/main/secrets/store'
import { startingBalancesKey } from '../../src/main/trading/starting-balances'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const closing: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

function setup() {
  const engine: Engine = createEngine({
    dataDir: tempDir(),
    host: 'headless',
    log: silentLogger,
    secrets: memorySecretStore(),
  })
  closing.push(() => engine.close())
  const { client, disconnect } = memoryPair(engine.registry)
  closing.push(disconnect)
  const call = (name: string, params: unknown) =>
    (client.invoke as (n: string, p: unknown) => Promise<Result<unknown>>)(name, params)
  const ok = async <T>(name: string, params: unknown): Promise<T> => {
    const r = await call(name, params)
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
    return r.value as T
  }
  const refused = async (name: string, params: unknown): Promise<AppErrorShape> => {
    const r = await call(name, params)
    if (r.ok) throw new Error(`${name} was accepted`)
    return r.error
  }
  const balances = async (accountId: string) => {
    const b = await ok<{ balances: Balance[] }>('trading.balances', { accountId })
    return Object.fromEntries(b.balances.map((x) => [x.asset, x.total]))
  }
  return { engine, ok, refused, balances }
}

describe('paper starting balances', () => {
  it('a new paper account starts with the balances given, kept as typed', async () => {
    const { ok, balances } = setup()
    const start = [
      { asset: 'USDT', amount: '10000' },
      { asset: 'BTC', amount: '0.5' },
    ]
    const a = await ok<Account>('trading.saveAccount', {
      name: 'Two assets',
      mode: 'paper',
      startingBalances: start,
    })
    expect(await balances(a.id)).toEqual({ USDT: '10000', BTC: '0.5' })
    expect(await ok('trading.startingBalances', { accountId: a.id })).toEqual(start)
    // Without any: 10,000 USDT, as before.
    const plain = await ok<Account>('trading.saveAccount', { name: 'Plain', mode: 'paper' })
    expect(await balances(plain.id)).toEqual({ USDT: '10000' })
    expect(await ok('trading.startingBalances', { accountId: plain.id })).toEqual([
      { asset: 'USDT', amount: '10000' },
    ])
  })

  it('a reset sets new starting balances, which a later reset restores', async () => {
    const { ok, balances } = setup()
    const a = await ok<Account>('trading.saveAccount', {
      name: 'Resettable',
      mode: 'paper',
      startingBalances: [
        { asset: 'USDT', amount: '10000' },
        { asset: 'BTC', amount: '0.5' },
      ],
    })
    const next = [
      { asset: 'USDT', amount: '2500.25' },
      { asset: 'ETH', amount: '3' },
    ]
    await ok('trading.resetPaper', { accountId: a.id, startingBalances: next })
    expect(await balances(a.id)).toEqual({ USDT: '2500.25', ETH: '3' })
    expect(await ok('trading.startingBalances', { accountId: a.id })).toEqual(next)
    await ok('trading.placeOrder', {
      accountId: a.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.001',
    })
    expect(Number((await balances(a.id))['BTC'])).toBeGreaterThan(0)
    await ok('trading.resetPaper', { accountId: a.id })
    expect(await balances(a.id)).toEqual({ USDT: '2500.25', ETH: '3' })
    // The one-asset form still works, and becomes the starting balance.
    await ok('trading.resetPaper', { accountId: a.id, startingBalance: '500', asset: 'USDC' })
    expect(await balances(a.id)).toEqual({ USDC: '500' })
    expect(await ok('trading.startingBalances', { accountId: a.id })).toEqual([
      { asset: 'USDC', amount: '500' },
    ])
  })

  it('refuses wrong balances naming the field, and changes nothing', async () => {
    const { ok, refused, balances } = setup()
    const cases: Array<[unknown, string, RegExp]> = [
      [
        [
          { asset: 'USDT', amount: '1' },
          { asset: 'USDT', amount: '2' },
        ],
        'params.startingBalances[1].asset',
        /USDT is listed twice/,
      ],
      [[{ asset: 'USDT', amount: '1,5' }], 'params.startingBalances[0].amount', /decimal number/],
      [[{ asset: 'USDT', amount: '-1' }], 'params.startingBalances[0].amount', /decimal number/],
      [[{ asset: 'usdt', amount: '1' }], 'params.startingBalances[0].asset', /asset code/],
      [[{ asset: 'USDT', amount: '0' }], 'params.startingBalances[0].amount', /above zero/],
      [[], 'params.startingBalances', /at least one asset/],
    ]
    for (const [startingBalances, path, message] of cases) {
      const err = await refused('trading.saveAccount', { name: 'Bad', mode: 'paper', startingBalances })
      expect(err, path).toMatchObject({ kind: 'validation', path })
      expect(err.message).toMatch(message)
      const reset = await refused('trading.resetPaper', { accountId: 'demo-paper', startingBalances })
      expect(reset.path).toBe(path)
    }
    expect((await ok<Account[]>('trading.accounts', {})).map((a) => a.name)).toEqual(['Demo paper'])
    expect(await balances('demo-paper')).toEqual({ USDT: '10000' })
    // An existing account gets new starting balances by a reset, not by an edit.
    const a = await ok<Account>('trading.saveAccount', { name: 'Made', mode: 'paper' })
    const edit = await refused('trading.saveAccount', {
      id: a.id,
      name: 'Made',
      mode: 'paper',
      startingBalances: [{ asset: 'USDT', amount: '5' }],
    })
    expect(edit).toMatchObject({ kind: 'validation', path: 'params.startingBalances' })
  })

  it('are forgotten with the account', async () => {
    const { engine, ok } = setup()
    const a = await ok<Account>('trading.saveAccount', {
      name: 'Short lived',
      mode: 'paper',
      startingBalances: [{ asset: 'BTC', amount: '1' }],
    })
    const row = () =>
      engine.db.prepare('SELECT value FROM settings WHERE key = ?').get(startingBalancesKey(a.id)) as
        { value: string } | undefined
    expect(row()).toBeDefined()
    await ok('trading.deleteAccount', { accountId: a.id, confirm: true })
    expect(row()).toBeUndefined()
  })
})
