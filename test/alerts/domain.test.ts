import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Alert, AlertPreview, AlertsUpdate, Firing } from '../../src/shared/contract/alerts'
import { createAlertsDomain, type AlertsDomain } from '../../src/main/alerts/domain'
import type { AlertNotifier } from '../../src/main/alerts/ports'
import { createDemoMarket } from '../../src/main/demo'
import { createEngine, type Engine } from '../../src/main/engine'
import { redact, silentLogger } from '../../src/main/log'
import { candleUpdates } from '../../src/main/market/candle-updates'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { memorySecretStore, type SecretStore } from '../../src/main/secrets/store'
import { marketBarSource } from '../../src/main/signals/bars'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const
const MIN = 60_000
const btc = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' } as const

interface Harness {
  registry: HandlerRegistry
  domain: AlertsDomain
  db: Db
  close(): Promise<void>
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** The alerts domain alone on a real database file, the demo market and its live feed. */
function harness(opts: { secrets?: SecretStore; telegram?: string; notifier?: AlertNotifier } = {}): Harness {
  const clock = { now: () => Date.now() }
  const db = openDatabase(join(tempDir(), 'candlework.db'))
  const demo = createDemoMarket()
  const live = candleUpdates({ demo, clock })
  const domain = createAlertsDomain({
    db,
    clock,
    log: silentLogger,
    secrets: opts.secrets ?? memorySecretStore(),
    bars: marketBarSource(db, demo, undefined, live),
    live,
    notifier: opts.notifier,
    policy: { attempts: 3, backoff: { baseMs: 20, maxMs: 100 }, timeoutMs: 500 },
    endpoints: { telegram: opts.telegram ?? 'https://api.telegram.org' },
  })
  const registry = new HandlerRegistry(silentLogger, { checkResults: true })
  registry.add(domain.handlers)
  domain.start?.()
  const h = {
    registry,
    domain,
    db,
    close: async () => {
      await domain.close?.()
      closeDatabase(db)
    },
  }
  cleanups.push(h.close)
  return h
}

async function call<T>(registry: HandlerRegistry, name: string, params: unknown): Promise<T> {
  const res = await registry.invoke(name, params, ctx)
  if (!res.ok) throw Object.assign(new Error(`${name}: ${res.error.message}`), { shape: res.error })
  return res.value as T
}

async function refused(registry: HandlerRegistry, name: string, params: unknown) {
  const res = await registry.invoke(name, params, ctx)
  if (res.ok) throw new Error(`${name} was accepted`)
  return res.error
}

const above = (value: number) => ({
  type: 'compare',
  left: { kind: 'price', field: 'last' },
  op: 'greater',
  right: { kind: 'value', value },
})

describe('validation names the field', () => {
  it('refuses an unknown indicator, an unknown output, a period out of range and an expiry in the past', async () => {
    const { registry } = harness()
    const withLeft = (left: unknown, extra: object = {}) => ({
      alert: {
        series: btc,
        condition: { type: 'compare', left, op: 'greater', right: { kind: 'value', value: 70 } },
        ...extra,
      },
    })
    const unknown = await refused(
      registry,
      'alerts.create',
      withLeft({ kind: 'indicator', indicator: 'rsx' }),
    )
    expect(unknown).toMatchObject({ kind: 'validation', path: 'params.alert.condition.left.indicator' })
    expect(unknown.message).toMatch(/unknown indicator "rsx"/)
    const output = await refused(
      registry,
      'alerts.create',
      withLeft({ kind: 'indicator', indicator: 'macd', output: 'line' }),
    )
    expect(output).toMatchObject({ kind: 'validation', path: 'params.alert.condition.left.output' })
    expect(output.message).toMatch(/outputs: macd, signal, histogram/)
    const tooLong = await refused(
      registry,
      'alerts.create',
      withLeft({ kind: 'indicator', indicator: 'rsi', params: { period: 50_000 } }),
    )
    expect(tooLong).toMatchObject({ kind: 'validation', path: 'params.alert.condition.left.params.period' })
    const zero = await refused(
      registry,
      'alerts.create',
      withLeft({ kind: 'indicator', indicator: 'sma', params: { period: 0 } }),
    )
    expect(zero).toMatchObject({ kind: 'validation', path: 'params.alert.condition.left.params.period' })
    const past = await refused(
      registry,
      'alerts.create',
      withLeft({ kind: 'price', field: 'close' }, { expiresAt: Date.now() - 1_000 }),
    )
    expect(past).toMatchObject({ kind: 'validation', path: 'params.alert.expiresAt' })
    const moveBars = await refused(registry, 'alerts.create', {
      alert: {
        series: btc,
        condition: { type: 'move', direction: 'up', by: { unit: 'percent', value: 5 }, bars: 0 },
      },
    })
    expect(moveBars).toMatchObject({ kind: 'validation', path: 'params.alert.condition.bars' })
  })

  it('refuses a webhook URL that is not https (loopback http allowed), without repeating the URL', async () => {
    const { registry } = harness()
    const hook = (url: string) => ({
      alert: { series: btc, condition: above(1), deliveries: [{ kind: 'webhook', url }] },
    })
    const err = await refused(registry, 'alerts.create', hook('http://hooks.example.com/secret-path-123'))
    expect(err).toMatchObject({ kind: 'validation', path: 'params.alert.deliveries[0].url' })
    expect(err.message).toMatch(/must be https/)
    expect(err.message).not.toContain('secret-path-123')
    const ok = await call<Alert>(registry, 'alerts.create', hook('http://127.0.0.1:9/hook-token-abcdefgh'))
    expect(ok.deliveries[0]!.hint).toBe('http://127.0.0.1:9/…efgh')
    expect(JSON.stringify(ok)).not.toContain('hook-token-abcdefgh')
  })

  it('refuses a series that is not charted, and a series on an event alert', async () => {
    const { registry } = harness()
    const nope = await refused(registry, 'alerts.create', {
      alert: { series: { ...btc, symbol: 'NOPE/USDT' }, condition: above(1) },
    })
    expect(nope).toMatchObject({ kind: 'validation', path: 'params.alert.series.symbol' })
    const event = await refused(registry, 'alerts.create', {
      alert: { series: btc, condition: { type: 'breaker' } },
    })
    expect(event).toMatchObject({ kind: 'validation', path: 'params.alert.series' })
    const missing = await refused(registry, 'alerts.create', { alert: { condition: above(1) } })
    expect(missing).toMatchObject({ kind: 'validation', path: 'params.alert.series' })
  })
})

describe('preview', () => {
  it('counts the firings of the last 30 days of demo bars with their times, as the live runner would', async () => {
    const { registry } = harness()
    const alert = {
      series: { ...btc, timeframe: '1h' },
      condition: {
        type: 'compare',
        left: { kind: 'price', field: 'close' },
        op: 'crossing',
        right: { kind: 'indicator', indicator: 'sma', params: { period: 50 } },
      },
      frequency: 'once_per_bar_close',
    }
    const p = await call<AlertPreview>(registry, 'alerts.preview', { alert })
    expect(p.bars).toBeGreaterThan(700)
    expect(p.bars).toBeLessThanOrEqual(721)
    expect(p.fired).toBeGreaterThan(5)
    expect(p.firings).toHaveLength(p.fired)
    for (const f of p.firings) {
      expect(f.time).toBe(f.barTime + 3_600_000)
      expect(f.time).toBeGreaterThanOrEqual(Date.now() - 30 * 86_400_000)
    }
    // A condition that always holds fires once per bar: every bar evaluated.
    const always = await call<AlertPreview>(registry, 'alerts.preview', {
      alert: { series: { ...btc, timeframe: '1h' }, condition: above(0), frequency: 'once' },
      days: 2,
    })
    expect(always.fired).toBe(always.bars)
    // More than 1,000: the newest 1,000 are listed (the chart's markers are on the latest bars).
    const many = await call<AlertPreview>(registry, 'alerts.preview', {
      alert: { series: btc, condition: above(0), frequency: 'once' },
      days: 1,
    })
    expect(many.fired).toBeGreaterThan(1_000)
    expect(many.firings).toHaveLength(1_000)
    expect(many.firings.at(-1)!.barTime).toBe(many.to)
  })
})

describe('live firing, history and delivery', () => {
  it('fires on a live demo update, stores it, streams it with the unread count, and marks it read', async () => {
    const notified: Firing[] = []
    const { registry, domain } = harness({ notifier: { notify: (_a, f) => notified.push(f) } })
    const events: AlertsUpdate[] = []
    const sub = registry.subscribe(
      'alerts.updates',
      {},
      { emit: (e) => events.push(e as AlertsUpdate), end: () => {} },
      ctx,
    )
    if (!sub.ok) throw new Error(sub.error.message)
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        name: 'BTC above 1',
        series: btc,
        condition: above(1),
        evaluate: 'intrabar',
        frequency: 'once',
      },
    })
    expect(alert.description).toBe('BTC/USDT 1m: last greater than 1')
    await waitFor(() => events.some((e) => e.type === 'fired'))
    const fired = events.find((e) => e.type === 'fired')!
    expect(fired).toMatchObject({
      type: 'fired',
      unread: 1,
      firing: { alertId: alert.id, away: false, read: false },
    })
    expect(events[0]).toEqual({ type: 'snapshot', unread: 0 })
    await waitFor(() => events.some((e) => e.type === 'changed' && e.alert.status === 'fired'))
    expect(notified).toHaveLength(1)
    const history = await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })
    expect(history).toHaveLength(1)
    expect(history[0]!.values.left).toBeGreaterThan(1)
    expect(history[0]!.message).toMatch(/^BTC above 1: BTC\/USDT 1m: last greater than 1 at /)
    expect(await call(registry, 'alerts.history', { unreadOnly: true })).toHaveLength(1)
    expect(await call(registry, 'alerts.markRead', { all: true })).toEqual({ unread: 0 })
    expect(await call(registry, 'alerts.history', { unreadOnly: true })).toHaveLength(0)
    expect(events.at(-1)).toEqual({ type: 'read', unread: 0 })
    sub.dispose()
    await domain.service.settled()
  })

  it('retries a webhook with backoff against a loopback receiver and logs every attempt', async () => {
    const received: { body: unknown; at: number }[] = []
    const answers = [500, 503, 200]
    const server = await listen((req, body, res) => {
      received.push({ body: JSON.parse(body), at: Date.now() })
      res.statusCode = answers[received.length - 1] ?? 200
      res.end()
      void req
    })
    const { registry, domain } = harness()
    const events: AlertsUpdate[] = []
    registry.subscribe(
      'alerts.updates',
      {},
      { emit: (e) => events.push(e as AlertsUpdate), end: () => {} },
      ctx,
    )
    const url = `http://127.0.0.1:${port(server)}/hooks/abcdefghijkl`
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        series: btc,
        condition: above(1),
        evaluate: 'intrabar',
        frequency: 'once',
        deliveries: [
          {
            kind: 'webhook',
            url,
            template: '{{symbol}} {{timeframe}} {{condition}} close={{close}} {{nope}}',
          },
        ],
      },
    })
    await waitFor(() => received.length === 3)
    await domain.service.settled()
    const body = received[2]!.body as Record<string, unknown>
    expect(body.text).toMatch(
      /^BTC\/USDT 1m BTC\/USDT 1m: last greater than 1 close=\d{1,3}(,\d{3})*\.\d{2} \{\{nope\}\}$/,
    )
    expect(body).toMatchObject({ alert: { id: alert.id }, symbol: 'BTC/USDT', timeframe: '1m' })
    // Backoff: 20 ms, then 40 ms.
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(15)
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(35)
    const [firing] = await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })
    expect(firing!.deliveries.map((d) => [d.attempt, d.ok, d.status, d.error])).toEqual([
      [1, false, 500, 'HTTP 500'],
      [2, false, 503, 'HTTP 503'],
      [3, true, 200, null],
    ])
    expect(events.filter((e) => e.type === 'delivery')).toHaveLength(3)
    expect(JSON.stringify(await call(registry, 'alerts.list', {}))).not.toContain('abcdefghijkl')
  })

  it('gives up after the last attempt when nothing answers, and a 4xx is final', async () => {
    const server = await listen((_req, _body, res) => {
      res.statusCode = 404
      res.end()
    })
    const closedPort = await freePort()
    const { registry, domain } = harness()
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        series: btc,
        condition: above(1),
        evaluate: 'intrabar',
        frequency: 'once',
        deliveries: [
          { kind: 'webhook', url: `http://127.0.0.1:${closedPort}/nobody-home` },
          { kind: 'discord', url: `http://127.0.0.1:${port(server)}/api/webhooks/1/gone` },
        ],
      },
    })
    await waitFor(
      async () => (await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })).length === 1,
    )
    await domain.service.settled()
    const [firing] = await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })
    const byChannel = (c: number) =>
      firing!.deliveries.filter((d) => d.channel === c).map((d) => [d.attempt, d.ok, d.status, d.error])
    expect(byChannel(0)).toEqual([
      [1, false, null, 'connection refused'],
      [2, false, null, 'connection refused'],
      [3, false, null, 'connection refused'],
    ])
    expect(byChannel(1)).toEqual([[1, false, 404, 'HTTP 404']])
  })

  it('times out each attempt to a receiver that never answers, while other alerts keep firing', async () => {
    const hanging: ServerResponse[] = []
    const server = await listen((_req, _body, res) => void hanging.push(res))
    cleanups.push(() => server.closeAllConnections())
    const { registry, domain } = harness()
    const slow = await call<Alert>(registry, 'alerts.create', {
      alert: {
        name: 'Slow hook',
        series: btc,
        condition: above(1),
        evaluate: 'intrabar',
        frequency: 'once',
        deliveries: [{ kind: 'webhook', url: `http://127.0.0.1:${port(server)}/hooks/never-answers` }],
      },
    })
    await waitFor(() => hanging.length === 1)
    // Created while the first delivery waits for its answer: it fires all the same.
    const other = await call<Alert>(registry, 'alerts.create', {
      alert: {
        name: 'ETH above 1',
        series: { ...btc, symbol: 'ETH/USDT' },
        condition: above(1),
        evaluate: 'intrabar',
        frequency: 'once',
      },
    })
    await waitFor(
      async () => (await call<Firing[]>(registry, 'alerts.history', { alertId: other.id })).length === 1,
    )
    await domain.service.settled()
    const [otherFiring] = await call<Firing[]>(registry, 'alerts.history', { alertId: other.id })
    const [firing] = await call<Firing[]>(registry, 'alerts.history', { alertId: slow.id })
    expect(firing!.deliveries.map((d) => [d.attempt, d.ok, d.status, d.error])).toEqual([
      [1, false, null, 'timed out'],
      [2, false, null, 'timed out'],
      [3, false, null, 'timed out'],
    ])
    // Each attempt waited its 500 ms limit (the harness's policy), no more than a second.
    for (const d of firing!.deliveries) {
      expect(d.durationMs).toBeGreaterThanOrEqual(450)
      expect(d.durationMs).toBeLessThan(1_000)
    }
    expect(hanging).toHaveLength(3)
    expect(otherFiring!.time).toBeLessThan(firing!.deliveries[2]!.at)
  })

  it('keeps webhook URLs and bot tokens out of the database, the answers and the log lines', async () => {
    const { registry, db } = harness()
    const url = `https://hooks.example.com/services/${randomUUID()}`
    const token = `987654:${randomUUID().replace(/-/g, '')}`
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        series: btc,
        condition: above(1e12),
        deliveries: [
          { kind: 'webhook', url },
          { kind: 'telegram', botToken: token, chatId: '-100123' },
        ],
      },
    })
    expect(JSON.stringify([alert, await call(registry, 'alerts.list', {})])).not.toMatch(
      new RegExp(`${url.slice(-12)}|${token.slice(-12)}`),
    )
    const rows = JSON.stringify(db.prepare('SELECT * FROM alerts').all())
    expect(rows).toContain(alert.id)
    expect(rows).not.toContain(url)
    expect(rows).not.toContain(token.split(':')[1])
    // Registered for the logger's redaction as they were stored: cut out of any line that holds them.
    expect(redact(`POST ${url} failed; token ${token}`)).toBe('POST [redacted] failed; token [redacted]')
  })

  it('sends Telegram and Discord in their own formats', async () => {
    const got: { url: string; body: Record<string, unknown> }[] = []
    const server = await listen((req, body, res) => {
      got.push({ url: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> })
      res.end('{"ok":true}')
    })
    const base = `http://127.0.0.1:${port(server)}`
    const { registry, domain } = harness({ telegram: base })
    const token = '123456:AAbbCCddEEffGGhhIIjjKKllMM'
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        series: btc,
        condition: above(1),
        evaluate: 'intrabar',
        frequency: 'once',
        message: 'hello {{symbol}}',
        deliveries: [
          { kind: 'telegram', botToken: token, chatId: '-100123' },
          { kind: 'discord', url: `${base}/api/webhooks/42/discord-secret` },
        ],
      },
    })
    expect(alert.deliveries.map((d) => d.hint)).toEqual([
      '1234…KKllMM'.replace('KKllMM', 'llMM'),
      `${base}/…cret`,
    ])
    await waitFor(() => got.length === 2)
    await domain.service.settled()
    const tg = got.find((g) => g.url.startsWith('/bot'))!
    expect(tg).toEqual({
      url: `/bot${token}/sendMessage`,
      body: { chat_id: '-100123', text: 'hello BTC/USDT' },
    })
    expect(got.find((g) => g.url.startsWith('/api'))!.body).toEqual({ content: 'hello BTC/USDT' })
  })
})

describe('restart and "while you were away"', () => {
  it('evaluates the bars that closed while the engine was closed, once, labelled away, and sends no webhook for them', async () => {
    const dir = tempDir()
    const secrets = memorySecretStore()
    const clock = { offsetMs: -3 * 3_600_000, now: () => Date.now() + clock.offsetMs }
    // The desktop's notifications: one for the newest firing found on start, not one per bar.
    const notified: Firing[] = []
    const notifier: AlertNotifier = { notify: (_a, f) => void notified.push(f) }
    const open = (): Engine =>
      createEngine({
        dataDir: dir,
        host: 'headless',
        clock,
        log: silentLogger,
        secrets,
        computeWorkers: 1,
        notifier,
      })
    let engine = open()
    const created = await callEngine<Alert>(engine, 'alerts.create', {
      alert: {
        series: btc,
        condition: above(1),
        frequency: 'once_per_bar_close',
        deliveries: [{ kind: 'webhook', url: 'https://hooks.example.com/away-only-hook' }],
      },
    })
    await engine.close()
    // The app was closed for ten minutes.
    clock.offsetMs += 10 * MIN
    engine = open()
    try {
      const away = await callEngine<Firing[]>(engine, 'alerts.history', { alertId: created.id })
      expect(away.length).toBeGreaterThanOrEqual(9)
      expect(away.length).toBeLessThanOrEqual(11)
      expect(away.every((f) => f.away)).toBe(true)
      const times = away.map((f) => f.barTime!).sort((a, b) => a - b)
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(MIN)
      const notifiedAway = notified.filter((f) => f.away)
      expect(notifiedAway.map((f) => f.barTime)).toEqual([times[times.length - 1]])
      expect(
        away.every(
          (f) => f.deliveries.length === 1 && f.deliveries[0]!.error === 'skipped: fired while you were away',
        ),
      ).toBe(true)
      // Evaluated once: a second restart finds nothing new to replay.
      await engine.close()
      engine = open()
      const again = await callEngine<Firing[]>(engine, 'alerts.history', { alertId: created.id })
      expect(again.length).toBeLessThanOrEqual(away.length + 1)
      expect(notified.filter((f) => f.away)).toHaveLength(1)
      const [alert] = await callEngine<Alert[]>(engine, 'alerts.list', {})
      expect(alert).toMatchObject({
        id: created.id,
        status: 'active',
        deliveries: [{ kind: 'webhook', hint: 'https://hooks.example.com/…hook' }],
      })
    } finally {
      await engine.close()
    }
  })
})

async function callEngine<T>(engine: Engine, name: string, params: unknown): Promise<T> {
  return call<T>(engine.registry, name, params)
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

function listen(
  handle: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void,
): Promise<Server> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => handle(req, body, res))
  })
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const port = (s: Server): number => (s.address() as AddressInfo).port

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const p = port(s)
  await new Promise<void>((r) => s.close(() => r()))
  return p
}
