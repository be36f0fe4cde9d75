import { afterEach, describe, expect, it } from 'vitest'
import { readConnection, writeConnection } from '../../src/main/exchange/schema'
import { startRecordingServer, type RecordingServer } from '../support/recording-server'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, useRig } from './support'

/*
 * Stored API keys go only to the address they were entered for. A trader (or anyone who got hold
 * of the engine) pointing a connection somewhere else must not make the engine send the key or a
 * signature there: the keys are removed with the change, and keys whose connection was changed
 * some other way are refused. "Somewhere else" is a plain HTTP server on loopback that records
 * every request and forwards it to the simulator, so a client that would sign gets far enough to.
 */
const rig = useRig(useTempDirs())
const servers: RecordingServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function elsewhere(upstream: string): Promise<RecordingServer> {
  const s = await startRecordingServer(upstream)
  servers.push(s)
  return s
}

describe('keys never follow a connection to a new address', () => {
  it('a new API URL removes the stored keys at once, and nothing signed reaches the new address', async () => {
    const { sim, invoke, secrets, db } = await rig()
    const stored = expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: sim.secret,
        verify: false,
      }),
    )
    // The keys work where they were entered.
    expectOk(await invoke('exchange.checkKeys', { exchange: 'binance' }))
    const other = await elsewhere(sim.url)

    const changed = expectOk(await invoke('exchange.configure', { exchange: 'binance', apiUrl: other.url }))
    const check = await invoke('exchange.checkKeys', { exchange: 'binance' })
    // Public data does go there: the server is reachable, and sees no key and no signature.
    expectOk(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' }))
    expect(other.requests.length).toBeGreaterThan(0)
    expect(other.leaks(sim.apiKey)).toEqual([])
    expect(JSON.stringify(other.requests)).not.toContain(sim.secret)
    expect(check).toMatchObject({ ok: false, error: { kind: 'not_found' } })

    expect(changed).toMatchObject({ apiUrl: other.url, maskedKey: null })
    expect(changed.keysRemoved).toHaveLength(1)
    expect(changed.keysRemoved[0]!.exchange).toBe('binance')
    expect(changed.keysRemoved[0]!.reason).toContain(`now goes to ${other.url} instead of ${sim.url}`)
    expect(changed.keysRemoved[0]!.reason).toMatch(/Enter them again/)
    // Gone from the row and from the secret store.
    expect(readConnection(db, 'binance')?.maskedKey).toBeNull()
    expect(await secrets.list()).toEqual([])
    expect(stored.maskedKey).not.toBeNull()
  })

  it('turning sandbox mode on or off moves the address too, and removes the keys', async () => {
    const { invoke, secrets } = await rig()
    expectOk(await invoke('exchange.configure', { exchange: 'binance', apiUrl: null }))
    expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: 'k'.repeat(64),
        secret: 's'.repeat(64),
        verify: false,
      }),
    )
    // Settings that do not move the address keep the keys.
    const kept = expectOk(await invoke('exchange.configure', { exchange: 'binance', recvWindowMs: 5000 }))
    expect(kept.keysRemoved).toEqual([])
    expect(kept.maskedKey).not.toBeNull()

    const sandbox = expectOk(await invoke('exchange.configure', { exchange: 'binance', sandbox: true }))
    expect(sandbox.maskedKey).toBeNull()
    expect(sandbox.keysRemoved[0]?.reason).toContain(
      "now goes to binance's sandbox (testnet) instead of binance's own API",
    )
    expect(await secrets.list()).toEqual([])
  })

  it('keys whose connection was changed behind the engine’s back are refused, not sent', async () => {
    const { sim, invoke, db, hub } = await rig()
    expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: sim.secret,
        verify: false,
      }),
    )
    const other = await elsewhere(sim.url)
    // A restored or hand-edited database: the row says "keys stored" and names another URL.
    const row = readConnection(db, 'binance')!
    writeConnection(db, { ...row, apiUrl: other.url }, Date.now())
    await hub.close()

    const check = await invoke('exchange.checkKeys', { exchange: 'binance' })
    expect(check).toMatchObject({ ok: false, error: { kind: 'conflict' } })
    expect(check.ok === false && check.error.message).toContain(`entered for ${sim.url}`)
    // The connection in use falls back to public data; its requests carry no key either.
    expectOk(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' }))
    expect(other.requests.length).toBeGreaterThan(0)
    expect(other.leaks(sim.apiKey)).toEqual([])
  })

  it('keys stored before addresses were recorded are bound to the address in use at first use', async () => {
    const { sim, invoke, db, secrets } = await rig()
    // As an earlier version stored them: the keys alone.
    await secrets.set('exchange:binance', JSON.stringify({ apiKey: sim.apiKey, secret: sim.secret }))
    writeConnection(db, { ...readConnection(db, 'binance')!, maskedKey: 'old…hint' }, Date.now())
    expectOk(await invoke('exchange.checkKeys', { exchange: 'binance' }))
    expect(JSON.parse((await secrets.get('exchange:binance'))!)).toMatchObject({
      boundTo: { apiUrl: sim.url, sandbox: false },
    })
    const other = await elsewhere(sim.url)
    writeConnection(db, { ...readConnection(db, 'binance')!, apiUrl: other.url }, Date.now())
    const check = await invoke('exchange.checkKeys', { exchange: 'binance' })
    expect(check).toMatchObject({ ok: false, error: { kind: 'conflict' } })
    expect(other.leaks(sim.apiKey)).toEqual([])
  })

  it('an account leaving a connection drops its keys in the same transaction as its own change', async () => {
    const { sim, invoke, hub, db, secrets } = await rig()
    expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: sim.secret,
        verify: false,
      }),
    )
    // The key's removal is written first; the account's change then fails, and takes it back.
    const failing = hub.dropKeysWith('binance', 'moved', () => {
      throw new Error('the account could not be written')
    })
    await expect(failing).rejects.toThrow('the account could not be written')
    expect(readConnection(db, 'binance')?.maskedKey).not.toBeNull()
    expect(await secrets.list()).toEqual(['exchange:binance'])

    const done = await hub.dropKeysWith('binance', 'moved', () => 'written')
    expect(done).toEqual({ result: 'written', keysRemoved: [{ exchange: 'binance', reason: 'moved' }] })
    expect(readConnection(db, 'binance')?.maskedKey).toBeNull()
    expect(await secrets.list()).toEqual([])
  })

  it('a stored URL the rule refuses (saved before it existed) is never contacted', async () => {
    const { invoke, db } = await rig()
    const row = readConnection(db, 'binance')!
    writeConnection(db, { ...row, apiUrl: 'http://exchange.invalid' }, Date.now())
    const r = await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.apiUrl' } })
    expect(r.ok === false && r.error.message).toMatch(/plain http is only for this computer/)
  })
})

describe('API URLs in exchange.configure', () => {
  const refused = [
    'http://example.com',
    'http://127.evil.example',
    'http://localhost.evil.com',
    'javascript:alert(1)',
    'ftp://127.0.0.1/',
    'file:///etc/passwd',
    'data:text/plain,hi',
    'https://user:pass@api.binance.com',
    'https://api.binance.com/?x=1',
    'ws://127.0.0.1:9000',
  ]
  it.each(refused)('refuses %s as validation at params.apiUrl, changing nothing', async (apiUrl) => {
    const { sim, invoke } = await rig()
    const r = await invoke('exchange.configure', { exchange: 'binance', apiUrl })
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.apiUrl' } })
    const [c] = expectOk(await invoke('exchange.connections', {}))
    expect(c?.apiUrl).toBe(sim.url)
  })

  it('takes https anywhere and http on loopback', async () => {
    const { invoke } = await rig()
    for (const apiUrl of ['https://testnet.binance.vision', 'http://localhost:9', 'http://[::1]:9/']) {
      const r = expectOk(await invoke('exchange.configure', { exchange: 'binance', apiUrl }))
      expect(r.apiUrl).toBe(apiUrl)
    }
  })
})
