/**
 * The engine's rules for an exchange account's keys, through the whole engine (registry, trading
 * service, exchange hub, real ccxt) against the simulator, whatever a window does:
 * - new keys need the trader's explicit choice: checked first (nothing saved if the check fails)
 *   or stored unchecked;
 * - a live account's switch goes on only with keys that check now, and unchecked keys are never
 *   put under a switched-on account (not through `exchange.setKeys` either);
 * - the credentials an exchange requires (OKX's passphrase) are asked for by name, stored like the
 *   keys, and never come back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AppErrorShape, Result } from '../../src/shared/contract/errors'
import type { Account } from '../../src/shared/domain/trading'
import { createEngine, type Engine } from '../../src/main/engine'
import { loadKeys } from '../../src/main/exchange/keys'
import { redact, silentLogger } from '../../src/main/log'
import { memorySecretStore, type SecretStore } from '../../src/main/secrets/store'
import { closedPort } from '../support/ports'
import { startSimulator, type Simulator } from '../simulator/server'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const closing: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

async function setup() {
  const sim: Simulator = await startSimulator({ seed: 11 })
  closing.push(() => sim.close())
  const secrets: SecretStore = memorySecretStore()
  const engine: Engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger, secrets })
  closing.push(() => engine.close())
  const { client, disconnect } = memoryPair(engine.registry)
  closing.push(disconnect)
  const call = (name: string, params: unknown) =>
    (client.invoke as (n: string, p: unknown) => Promise<Result<unknown>>)(name, params)
  const accounts = async () => {
    const r = await call('trading.accounts', {})
    if (!r.ok) throw new Error(r.error.message)
    return r.value as Account[]
  }
  const live = (extra: Record<string, unknown>) =>
    call('trading.saveAccount', {
      name: 'Sim live',
      mode: 'live',
      exchangeId: 'binance',
      apiUrl: sim.url,
      ...extra,
    })
  return { sim, secrets, call, accounts, live }
}

function refusal(r: Result<unknown>): AppErrorShape {
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}

function saved(r: Result<unknown>): Account {
  if (!r.ok) throw new Error(`expected a saved account: ${r.error.message}`)
  return r.value as Account
}

describe('saving keys needs an explicit choice', () => {
  it('keys without checkKeys are refused at params.checkKeys; nothing is stored', async () => {
    const { sim, secrets, accounts, live } = await setup()
    const err = refusal(await live({ apiKey: sim.apiKey, secret: sim.secret }))
    expect(err).toMatchObject({ kind: 'validation', path: 'params.checkKeys' })
    expect(err.message).toContain('checkKeys: true')
    expect(await secrets.list()).toEqual([])
    expect((await accounts()).some((a) => a.mode === 'live')).toBe(false)
  })

  it('checked keys the exchange refuses: auth_failed in words, and nothing is saved', async () => {
    const { sim, secrets, accounts, live } = await setup()
    const err = refusal(await live({ apiKey: sim.apiKey, secret: 'x'.repeat(64), checkKeys: true }))
    expect(err.kind).toBe('auth_failed')
    expect(err.message).toMatch(/^Binance refused the API key/)
    expect(err.message).not.toMatch(/https?:\/\/|\{"/)
    expect(await secrets.list()).toEqual([])
    expect(await accounts()).toHaveLength(1) // Demo paper only
    expect(sim.state.requests({ kind: 'account' }).length).toBeGreaterThan(0)
  })

  it('checked keys at an address nothing answers: unavailable in words, and nothing is saved', async () => {
    const { sim, secrets, accounts, live } = await setup()
    const apiUrl = `http://127.0.0.1:${await closedPort()}`
    const err = refusal(await live({ apiUrl, apiKey: sim.apiKey, secret: sim.secret, checkKeys: true }))
    expect(err.kind).toBe('unavailable')
    expect(err.message).toMatch(/^Binance is unreachable from this machine: the connection was refused/)
    expect(err.message).not.toContain(apiUrl)
    expect(await secrets.list()).toEqual([])
    expect(await accounts()).toHaveLength(1)
  })

  it('checked keys that work are stored, and the account is saved; unchecked ones only when asked', async () => {
    const { sim, secrets, live, call } = await setup()
    const checked = saved(await live({ apiKey: sim.apiKey, secret: sim.secret, checkKeys: true }))
    expect(checked).toMatchObject({ hasKeys: true, liveEnabled: false })
    expect(await secrets.list()).toEqual(['exchange:binance'])
    const requests = sim.state.requests({ kind: 'account' }).length
    const unchecked = saved(
      await live({ id: checked.id, apiKey: sim.apiKey, secret: 'y'.repeat(64), checkKeys: false }),
    )
    expect(unchecked).toMatchObject({ hasKeys: true, liveEnabled: false })
    // Stored as given: nothing was asked of the exchange.
    expect(sim.state.requests({ kind: 'account' }).length).toBe(requests)
    // exchange.setKeys wants the same choice.
    const noChoice = refusal(
      await call('exchange.setKeys', { exchange: 'binance', apiKey: 'k'.repeat(64), secret: 's' }),
    )
    expect(noChoice).toMatchObject({ kind: 'validation', path: 'params.verify' })
  })
})

describe('the live switch goes on only with keys that check', () => {
  it('refuses to switch on with keys the exchange refuses, saying why; the account stays off', async () => {
    const { sim, accounts, live } = await setup()
    const account = saved(await live({ apiKey: sim.apiKey, secret: 'x'.repeat(64), checkKeys: false }))
    const err = refusal(await live({ id: account.id, liveEnabled: true }))
    expect(err).toMatchObject({ kind: 'auth_failed', path: 'params.liveEnabled' })
    expect(err.message).toMatch(/^Live trading stays off: Binance refused the API key/)
    expect((await accounts()).find((a) => a.id === account.id)?.liveEnabled).toBe(false)
  })

  it('refuses to switch on without keys, and with new keys given unchecked, storing nothing', async () => {
    const { sim, secrets, accounts, live } = await setup()
    const bare = saved(await live({}))
    const none = refusal(await live({ id: bare.id, liveEnabled: true }))
    expect(none).toMatchObject({ kind: 'validation', path: 'params.liveEnabled' })
    expect(none.message).toContain('No API keys are stored for binance')
    const unchecked = refusal(
      await live({
        id: bare.id,
        liveEnabled: true,
        apiKey: sim.apiKey,
        secret: sim.secret,
        checkKeys: false,
      }),
    )
    expect(unchecked).toMatchObject({ kind: 'validation', path: 'params.liveEnabled' })
    expect(await secrets.list()).toEqual([])
    expect((await accounts()).find((a) => a.id === bare.id)?.liveEnabled).toBe(false)
  })

  it('switches on after one signed request with keys that work', async () => {
    const { sim, accounts, live } = await setup()
    const account = saved(await live({ apiKey: sim.apiKey, secret: sim.secret, checkKeys: false }))
    const before = sim.state.requests({ kind: 'account' }).length
    expect(saved(await live({ id: account.id, liveEnabled: true })).liveEnabled).toBe(true)
    expect(sim.state.requests({ kind: 'account' }).length).toBe(before + 1)
    expect((await accounts()).find((a) => a.id === account.id)?.liveEnabled).toBe(true)
    // A save that keeps it on (a new name) asks nothing more.
    saved(await live({ id: account.id, name: 'Renamed live' }))
    expect(sim.state.requests({ kind: 'account' }).length).toBe(before + 1)
  })

  it('an exchange that cannot be reached keeps the switch off: the keys could not be checked', async () => {
    const { sim, accounts, live } = await setup()
    const account = saved(await live({ apiKey: sim.apiKey, secret: sim.secret, checkKeys: true }))
    sim.faults.next('account', '503', 5)
    const err = refusal(await live({ id: account.id, liveEnabled: true }))
    expect(err.path).toBe('params.liveEnabled')
    expect(err.kind).not.toBe('auth_failed')
    expect(err.message).toMatch(/^Live trading stays off: the keys could not be checked\. Binance /)
    expect((await accounts()).find((a) => a.id === account.id)?.liveEnabled).toBe(false)
  })

  it('never stores unchecked keys under a switched-on account, not through exchange.setKeys either', async () => {
    const { sim, secrets, live, call } = await setup()
    const account = saved(
      await live({ apiKey: sim.apiKey, secret: sim.secret, checkKeys: true, liveEnabled: true }),
    )
    expect(account.liveEnabled).toBe(true)
    const before = await loadKeys(secrets, 'binance', { apiUrl: sim.url, sandbox: false })
    const viaAccount = refusal(
      await live({ id: account.id, apiKey: sim.apiKey, secret: 'z'.repeat(64), checkKeys: false }),
    )
    expect(viaAccount).toMatchObject({ kind: 'validation', path: 'params.liveEnabled' })
    expect(viaAccount.message).toContain('new keys must be checked')
    const direct = refusal(
      await call('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: 'z'.repeat(64),
        verify: false,
      }),
    )
    expect(direct).toMatchObject({ kind: 'conflict', path: 'params.verify' })
    expect(direct.message).toContain('“Sim live” trades live on Binance')
    expect(await loadKeys(secrets, 'binance', { apiUrl: sim.url, sandbox: false })).toEqual(before)
    // Switching it off in the same save lets unchecked keys in.
    const off = saved(
      await live({
        id: account.id,
        liveEnabled: false,
        apiKey: sim.apiKey,
        secret: 'z'.repeat(64),
        checkKeys: false,
      }),
    )
    expect(off.liveEnabled).toBe(false)
    expect((await loadKeys(secrets, 'binance', { apiUrl: sim.url, sandbox: false }))?.secret).toBe(
      'z'.repeat(64),
    )
  })
})

describe('credentials beyond the API key and secret', () => {
  it('asks for OKX’s passphrase by name before anything is sent', async () => {
    const { secrets, call } = await setup()
    const err = refusal(
      await call('trading.saveAccount', {
        name: 'My OKX',
        mode: 'live',
        exchangeId: 'okx',
        apiKey: 'okx-key-0123456789abcdef',
        secret: 'okx-secret-0123456789abcdef',
        checkKeys: false,
      }),
    )
    expect(err).toMatchObject({ kind: 'validation', path: 'params.password' })
    expect(err.message).toBe(
      'OKX API keys consist of the API key, secret and passphrase: enter the passphrase too.',
    )
    expect(await secrets.list()).toEqual([])
  })

  it('stores the passphrase with the keys, redacts it, and never returns it', async () => {
    const { secrets, call, accounts } = await setup()
    const passphrase = 'my-okx-passphrase-42'
    const account = saved(
      await call('trading.saveAccount', {
        name: 'My OKX',
        mode: 'live',
        exchangeId: 'okx',
        apiKey: 'okx-key-0123456789abcdef',
        secret: 'okx-secret-0123456789abcdef',
        password: passphrase,
        checkKeys: false,
      }),
    )
    expect(account).toMatchObject({ hasKeys: true, keyHint: 'okx-…cdef' })
    expect((await loadKeys(secrets, 'okx', { apiUrl: null, sandbox: false }))?.password).toBe(passphrase)
    expect(redact(`signed with ${passphrase}`)).toBe('signed with [redacted]')
    const shown = JSON.stringify([await accounts(), await call('exchange.connections', {})])
    expect(shown).not.toContain(passphrase)
    expect(shown).not.toContain('okx-secret')
  })
})
