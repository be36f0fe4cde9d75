import { spawnSync } from 'node:child_process'
import { pbkdf2 } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { createLogger, forDomain, logLevelFromEnv, registerSecret, silentLogger } from '../../src/main/log'
import { logFile } from '../../src/main/paths'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

const linesOf = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('the log', () => {
  it('writes one JSON line per call: level, ISO time, domain, message and the detail as fields', async () => {
    const file = join(tempDir(), 'logs', 'candlework.log')
    const log = createLogger({ file, echo: false })
    log.info('started', { symbol: 'BTC/USDT', accountId: 'paper-1' })
    forDomain(log, 'trading').warn('reconciliation failed', new Error('venue down'))
    log.error('a plain detail', 42)
    await log.close()
    const [started, failed, plain] = linesOf(file)
    expect(started).toMatchObject({ level: 'info', msg: 'started', symbol: 'BTC/USDT', accountId: 'paper-1' })
    expect(started).not.toHaveProperty('domain')
    expect(Date.parse(String(started?.time))).toBeGreaterThan(0)
    expect(failed).toMatchObject({
      level: 'warn',
      domain: 'trading',
      msg: 'reconciliation failed',
      err: { type: 'Error', message: 'venue down' },
    })
    expect(String((failed?.err as { stack?: string }).stack)).toMatch(/venue down\n\s+at /)
    expect(plain).toMatchObject({ level: 'error', detail: 42 })
    expect(started).not.toHaveProperty('hostname') // lines go into bug reports
  })

  it('censors credentials by field name, at any depth, and every registered secret by value', async () => {
    const file = join(tempDir(), 'candlework.log')
    const log = createLogger({ file, echo: false })
    const registered = 'registered-secret-"with\\quotes"'
    // A shorter secret inside it, registered first: cut first, it would leave the rest showing.
    registerSecret('secret-"with')
    registerSecret(registered)
    const values = {
      apiKey: 'AK-visible-1',
      secret: 'SE-visible-2',
      password: 'PW-visible-3',
      passphrase: 'PP-visible-4',
      token: 'TK-visible-5',
      authorization: 'Bearer AUTH-visible-6',
      uid: 'UID-visible-7',
      privateKey: 'PK-visible-8',
      login: 'LOGIN-visible-9',
    }
    log.warn('a key set', { exchange: 'okx', ...values })
    log.warn('headers', {
      request: { headers: { Authorization: 'Bearer AUTH-h1', 'X-MBX-APIKEY': 'AK-h2' } },
    })
    log.warn('under keys', { keys: { anything: 'K-1' }, credentials: ['C-1'] })
    log.warn('deep', { a: { b: { c: { d: { access_token: 'TK-deep' } } } } })
    log.error(`a message with ${registered} in it`, new Error(`an error with ${registered}`))
    log.info('a Candlework account and a user id that are not credentials', {
      accountId: 'paper-1',
      uid: 'u-7',
    })
    await log.close()

    const text = readFileSync(file, 'utf8')
    for (const v of [...Object.values(values), 'AUTH-h1', 'AK-h2', 'K-1', 'C-1', 'TK-deep', registered]) {
      expect(text, v).not.toContain(v)
    }
    expect(text).not.toContain(JSON.stringify(registered).slice(1, -1)) // nor JSON-escaped
    const [keySet, headers, underKeys, deep, withMessage, account] = linesOf(file)
    expect(keySet).toMatchObject({
      exchange: 'okx',
      apiKey: '[redacted]',
      uid: '[redacted]',
      login: '[redacted]',
    })
    expect(headers).toMatchObject({
      request: { headers: { Authorization: '[redacted]', 'X-MBX-APIKEY': '[redacted]' } },
    })
    expect(underKeys).toMatchObject({ keys: '[redacted]', credentials: '[redacted]' })
    expect(deep).toMatchObject({ a: { b: { c: { d: { access_token: '[redacted]' } } } } })
    expect(withMessage?.msg).toBe('a message with [redacted] in it')
    expect(account).toMatchObject({ accountId: 'paper-1', uid: 'u-7' })
  })

  it('writes the levels from the one it is given up; CANDLEWORK_LOG_LEVEL sets it, a wrong one is named', async () => {
    const file = join(tempDir(), 'candlework.log')
    const log = createLogger({ file, echo: false, level: 'warn' })
    log.debug('d')
    log.info('i')
    log.warn('w')
    log.error('e')
    await log.close()
    expect(linesOf(file).map((l) => l.level)).toEqual(['warn', 'error'])
    expect(logLevelFromEnv({})).toBe('info')
    expect(logLevelFromEnv({ CANDLEWORK_LOG_LEVEL: 'DEBUG' })).toBe('debug')
    expect(() => logLevelFromEnv({ CANDLEWORK_LOG_LEVEL: 'verbose' })).toThrow(
      /CANDLEWORK_LOG_LEVEL must be one of debug, info, warn, error, got "verbose"/,
    )
  })

  it('survives details that cannot be serialised: cycles, bigints, throwing getters', async () => {
    const file = join(tempDir(), 'candlework.log')
    const log = createLogger({ file, echo: false })
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter')
      },
    })
    expect(() => log.info('odd details', { cyclic, big: 10n ** 30n, hostile })).not.toThrow()
    await log.close()
    expect(linesOf(file)[0]).toMatchObject({
      cyclic: { name: 'loop', self: '[circular]' },
      big: '1000000000000000000000000000000',
      hostile: { boom: '[unreadable]' },
    })
  })

  it('has every line in the file once closed (asynchronous writes are flushed), and drops lines after', async () => {
    const file = join(tempDir(), 'candlework.log')
    const log = createLogger({ file, echo: false })
    for (let i = 0; i < 5_000; i++) log.info('burst', { i })
    await log.close()
    expect(() => log.info('after close')).not.toThrow()
    const lines = linesOf(file)
    expect(lines).toHaveLength(5_000)
    expect(lines.map((l) => l.i)).toEqual([...Array(5_000).keys()])
  })

  it("is flushed by the engine's close", async () => {
    const dataDir = tempDir()
    const engine = createEngine({ dataDir, host: 'headless' })
    engine.log.info('a line of the engine')
    await engine.close()
    const lines = linesOf(logFile(dataDir))
    expect(lines.map((l) => l.msg)).toContain('a line of the engine')
  })

  it('never throws when its folder is removed under a running engine, also when a rotation is due', async () => {
    const dataDir = tempDir()
    const log = createLogger({ file: logFile(dataDir), echo: false, rotation: { maxBytes: 500, keep: 2 } })
    log.warn('first line')
    await new Promise((r) => setTimeout(r, 20))
    rmSync(dataDir, { recursive: true, force: true })
    expect(() => {
      for (let i = 0; i < 50; i++) log.warn('after the folder was removed', { i })
    }).not.toThrow()
    await new Promise((r) => setTimeout(r, 50)) // the rotations fall due without a folder
    await log.close()
    expect(() => log.warn('after close')).not.toThrow()
  })

  it('never throws when its folder is removed before the file could even be opened', async () => {
    const dataDir = tempDir()
    // libuv's thread pool kept busy, so the file's open (queued behind) comes after the removal.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
    const busy = Array.from({ length: threads }, () => promisify(pbkdf2)('x', 'y', 300_000, 32, 'sha256'))
    const log = createLogger({ file: logFile(dataDir), echo: false })
    rmSync(dataDir, { recursive: true, force: true })
    await Promise.all(busy)
    expect(() => log.warn('into no file')).not.toThrow()
    await new Promise((r) => setTimeout(r, 50)) // the open fails meanwhile
    expect(() => log.warn('still no file')).not.toThrow()
    const started = Date.now()
    await log.close()
    expect(Date.now() - started).toBeLessThan(1_000) // not held up waiting for a file that never opens
  })

  it('writes what it can when the process dies of an uncaught exception: the buffered lines and the crash', () => {
    const file = join(tempDir(), 'candlework.log')
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), file, '3000'],
      {
        encoding: 'utf8',
      },
    )
    expect(child.status).not.toBe(0)
    expect(child.stderr).toMatch(/the crash itself/)
    const lines = linesOf(file)
    expect(lines.filter((l) => l.msg === 'before the crash')).toHaveLength(3_000)
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      msg: 'uncaught exception',
      err: { message: 'the crash itself' },
    })
  })

  it('the silent logger has every level', () => {
    expect(() => silentLogger.debug('x')).not.toThrow()
  })
})
