import ccxt from 'ccxt'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/main/log'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { createPassphraseFileStore } from '../../src/main/secrets/passphrase-file'
import { useTempDirs } from '../support/temp-dir'
import { startProxy } from './proxy'
import { expectOk, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)

describe('API keys never leak', () => {
  it('is found in no log line, error, contract answer, database file or secrets file', async () => {
    const dir = newDir()
    const logFile = join(dir, 'candlework.log')
    const secretsFile = join(dir, 'secrets.json')
    const passphrase = 'a-long-passphrase-for-the-no-leak-test'
    const log = createLogger({ file: logFile, echo: false })
    const secrets = createPassphraseFileStore({
      file: secretsFile,
      passphrase: () => passphrase,
      scrypt: { N: 2 ** 14, r: 8, p: 1 },
    })
    const { sim, invoke, hub, db } = await rig({ secrets, log })
    const { apiKey, secret } = sim
    const needles = { apiKey, secret, passphrase }

    // An exchange that echoes the API key in its error answers (some do), through a proxy.
    let echo: 'none' | '401' | '503' = 'none'
    const proxy = await startProxy(sim.url, {
      response(url, answer, headers) {
        const key = headers['x-mbx-apikey'] ?? ''
        if (echo === '401' && url.pathname === '/api/v3/account') {
          return {
            status: 401,
            body: JSON.stringify({
              code: -2015,
              msg: `Invalid API-key ${key}, IP, or permissions for action.`,
            }),
          }
        }
        if (echo === '503' && url.pathname === '/api/v3/account') {
          return { status: 503, body: `<html>upstream failed for key=${key} secret=${secret}</html>` }
        }
        return answer
      },
    })
    const answers: unknown[] = []
    const call: typeof invoke = async (name, params) => {
      const r = await invoke(name, params)
      answers.push(r)
      return r
    }
    try {
      expectOk(await call('exchange.configure', { exchange: 'binance', apiUrl: proxy.url }))

      // 1. Keys the exchange refuses, with the key echoed in its message.
      echo = '401'
      const refused = await call('exchange.setKeys', { exchange: 'binance', apiKey, secret, verify: true })
      expect(refused).toMatchObject({ ok: false, error: { kind: 'auth_failed' } })
      expect(JSON.stringify(refused)).toContain('[redacted]') // the echo was there, and was scrubbed

      // 2. The same keys accepted.
      echo = 'none'
      const stored = expectOk(
        await call('exchange.setKeys', { exchange: 'binance', apiKey, secret, verify: true }),
      )
      expect(stored).toEqual({
        exchange: 'binance',
        maskedKey: `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`,
        verified: true,
      })

      // 3. Everything else the contract answers.
      expectOk(await call('exchange.markets', { exchange: 'binance' }))
      expectOk(await call('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' }))
      expectOk(await call('exchange.orderBook', { exchange: 'binance', symbol: 'BTC/USDT' }))
      expectOk(await call('exchange.clockSkew', { exchange: 'binance' }))
      const connections = await invoke('exchange.connections', {})
      answers.push(connections)
      expect(expectOk(connections)[0]?.maskedKey).toBe(stored.maskedKey)

      // 4. Signed calls that fail: with the key echoed (auth), and in an outage page that is logged.
      const connection = await hub.connection('binance')
      for (const mode of ['401', '503'] as const) {
        echo = mode
        const err = await connection
          .call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
          .catch((e: unknown) => e)
        answers.push((err as { toShape(): unknown }).toShape())
      }
      // The check of stored keys, refused with the key echoed.
      echo = '401'
      const check = await call('exchange.checkKeys', { exchange: 'binance' })
      expect(check).toMatchObject({ ok: false, error: { kind: 'auth_failed' } })
      expect(JSON.stringify(check)).toContain('[redacted]')
      echo = 'none'
      expectOk(await call('exchange.health', { exchange: 'binance' }))
      // The registry logs any error that is not a domain error in full, stack included.
      new HandlerRegistry(log).toErrorShape(
        new ccxt.AuthenticationError(`binance rejected ${apiKey} / ${secret}`),
        'exchange.x',
      )
      log.warn('keys in a detail object', { apiKey, secret })

      // 5. Removing them.
      expectOk(await call('exchange.removeKeys', { exchange: 'binance' }))
    } finally {
      await proxy.close()
    }

    db.pragma('wal_checkpoint(TRUNCATE)')
    await log.close() // the log writes asynchronously: everything is in the file once it is closed
    const logText = readFileSync(logFile, 'utf8')
    const places: Record<string, string> = {
      'contract answers': JSON.stringify(answers),
      log: logText,
      'database file': readFileSync(db.name, 'latin1'),
      'database WAL': existsSync(`${db.name}-wal`) ? readFileSync(`${db.name}-wal`, 'latin1') : '',
      'secrets file': readFileSync(secretsFile, 'latin1'),
    }
    // The checks saw the real traffic: the log has the scrubbed lines, the secrets file exists.
    expect(logText).toMatch(/\[redacted\]/)
    expect(logText).toMatch(/exchange binance: unavailable/)
    expect(places['secrets file']).toMatch(/candlework-secrets/)
    for (const [where, text] of Object.entries(places)) {
      for (const [what, value] of Object.entries(needles)) {
        expect(text.includes(value), `${what} found in ${where}`).toBe(false)
      }
    }
  })
})
