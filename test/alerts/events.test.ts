import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Alert, EngineEventIn, Firing } from '../../src/shared/contract/alerts'
import { AppError } from '../../src/shared/contract/errors'
import { createAlertsDomain, type AlertsDomain } from '../../src/main/alerts/domain'
import { formatMessagePrice, readableTime } from '../../src/main/alerts/message-format'
import type { BreakerHealth } from '../../src/main/alerts/ports'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import { candleUpdates } from '../../src/main/market/candle-updates'
import { pricePrecisionOf } from '../../src/main/market/price-precision'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { memorySecretStore } from '../../src/main/secrets/store'
import { marketBarSource } from '../../src/main/signals/bars'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

type Skew = NonNullable<ReturnType<BreakerHealth['health']>[number]['clockSkew']>

/** An exchange hub as the alerts see it: one exchange whose clock-skew measurement the test sets. */
function fakeHub() {
  const listeners = new Set<(exchange: string, changed: boolean) => void>()
  let skew: Skew | null = null
  const hub: BreakerHealth = {
    onHealth(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    health: () => [{ exchange: 'binance', state: 'closed', clockSkew: skew }],
  }
  return {
    hub,
    /** A new measurement, announced as the connection does (`onHealth(id, false)`). */
    measure(offsetMs: number, withinWindow: boolean) {
      skew = {
        offsetMs,
        effectiveSkewMs: Math.abs(offsetMs) + 20,
        recvWindowMs: 5_000,
        adjusted: false,
        withinWindow,
      }
      for (const l of listeners) l('binance', false)
    },
  }
}

function harness(exchanges?: BreakerHealth): { registry: HandlerRegistry; domain: AlertsDomain } {
  const clock = { now: () => Date.now() }
  const db = openDatabase(join(tempDir(), 'candlework.db'))
  const demo = createDemoMarket()
  const live = candleUpdates({ demo, clock })
  const domain = createAlertsDomain({
    db,
    clock,
    log: silentLogger,
    secrets: memorySecretStore(),
    bars: marketBarSource(db, demo, undefined, live),
    live,
    ...(exchanges ? { exchanges } : {}),
    precision: { precision: (source, symbol) => pricePrecisionOf(db, demo, source, symbol) },
  })
  const registry = new HandlerRegistry(silentLogger, { checkResults: true })
  registry.add(domain.handlers)
  domain.start?.()
  cleanups.push(async () => {
    await domain.close?.()
    closeDatabase(db)
  })
  return { registry, domain }
}

async function call<T>(registry: HandlerRegistry, name: string, params: unknown): Promise<T> {
  const res = await registry.invoke(name, params, ctx)
  if (!res.ok) throw Object.assign(new Error(`${name}: ${res.error.message}`), { shape: res.error })
  return res.value as T
}

/** What the risk engine will do: raise through a port it declares itself, wired to `AlertService.raise`. */
class FakeRiskEngine {
  constructor(private readonly alerts: { raise(e: EngineEventIn): number }) {}
  dailyLossReached(accountId: string): void {
    this.alerts.raise({
      kind: 'risk_limit_hit',
      subject: accountId,
      message: "Daily loss limit 500.00 USDT reached: today's loss 512.40 USDT",
      values: { limit: 500, value: 512.4 },
    })
    this.alerts.raise({
      kind: 'trading_halted',
      subject: accountId,
      message: 'Trading halted until 00:00 UTC: daily loss limit reached',
    })
  }
}

describe('the event port other domains raise through', () => {
  it("fires risk and backup event alerts from a fake caller, matching the kind and the alert's subject", async () => {
    const { registry, domain } = harness()
    const create = (condition: object) =>
      call<Alert>(registry, 'alerts.create', {
        alert: { condition, frequency: 'every_time', minIntervalMs: 0 },
      })
    const anyRisk = await create({ type: 'event', events: ['risk_limit_hit', 'trading_halted'] })
    const paper2 = await create({ type: 'event', events: ['trading_halted'], subject: 'paper-2' })
    const backups = await create({ type: 'event', events: ['backup_failed'] })
    expect(anyRisk.description).toBe('a risk limit hit or trading halted')
    expect(paper2.description).toBe('trading halted (paper-2)')

    new FakeRiskEngine(domain.service).dailyLossReached('paper-1')
    let history = await call<Firing[]>(registry, 'alerts.history', {})
    expect(history.map((f) => f.alertId)).toEqual([anyRisk.id, anyRisk.id])
    const limit = history.find((f) => f.values.limit !== undefined)!
    expect(limit.values).toEqual({ limit: 500, value: 512.4 })
    expect(limit.message).toContain(
      "a risk limit hit or trading halted: Daily loss limit 500.00 USDT reached: today's loss 512.40 USDT",
    )

    new FakeRiskEngine(domain.service).dailyLossReached('paper-2')
    history = await call<Firing[]>(registry, 'alerts.history', { alertId: paper2.id })
    expect(history).toHaveLength(1)

    // The backup domain's call: one function, its own kind.
    expect(
      domain.service.raise({
        kind: 'backup_failed',
        subject: 'daily',
        message: 'verification failed: row counts differ from the manifest (orders 120 != 119)',
      }),
    ).toBe(1)
    history = await call<Firing[]>(registry, 'alerts.history', { alertId: backups.id })
    expect(history[0]!.message).toMatch(/a backup failing: verification failed: row counts differ/)
    await domain.service.settled()
  })

  it('refuses a bad event with the field named', () => {
    const { domain } = harness()
    const bad = (e: unknown) => {
      try {
        domain.service.raise(e as EngineEventIn)
      } catch (err) {
        return err as AppError
      }
      throw new Error('accepted')
    }
    expect(bad({ kind: 'disk_full', message: 'x' })).toMatchObject({ kind: 'validation', path: 'event.kind' })
    expect(bad({ kind: 'backup_failed', message: ' ' })).toMatchObject({ path: 'event.message' })
    expect(bad({ kind: 'backup_failed', message: 'x', values: { n: Number.NaN } })).toMatchObject({
      path: 'event.values.n',
    })
    // A good one with no alert asking for it fires nothing and is no error.
    expect(domain.service.raise({ kind: 'backup_failed', message: 'x' })).toBe(0)
  })
})

describe("an exchange's clock skew passing the guard", () => {
  it('fires once when a measurement goes outside the window, and again only after one came back inside', async () => {
    const fake = fakeHub()
    const { registry, domain } = harness(fake.hub)
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        condition: { type: 'event', events: ['clock_skew'], subject: 'binance' },
        frequency: 'every_time',
        minIntervalMs: 0,
      },
    })
    fake.measure(120, true)
    fake.measure(-7_300, false)
    fake.measure(-7_400, false)
    let history = await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })
    expect(history).toHaveLength(1)
    expect(history[0]!.message).toContain(
      "this computer's clock is 7.3 s ahead of binance's, outside its 5.0 s window: signed requests are refused",
    )
    expect(history[0]!.values).toEqual({ offsetMs: -7_300, effectiveSkewMs: 7_320, recvWindowMs: 5_000 })
    fake.measure(200, true)
    fake.measure(9_000, false)
    history = await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })
    expect(history).toHaveLength(2)
    expect(history[0]!.message).toContain('9.0 s behind')
    await domain.service.settled()
  })
})

describe('message text', () => {
  it("formats prices with the market's decimals and times readably; the firing keeps the exact numbers", async () => {
    const { registry, domain } = harness()
    const alert = await call<Alert>(registry, 'alerts.create', {
      alert: {
        name: 'BTC above 1',
        series: { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' },
        condition: {
          type: 'compare',
          left: { kind: 'price', field: 'last' },
          op: 'greater',
          right: { kind: 'value', value: 1 },
        },
        evaluate: 'intrabar',
        frequency: 'once',
      },
    })
    let history: Firing[] = []
    const until = Date.now() + 8_000
    while (history.length === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20))
      history = await call<Firing[]>(registry, 'alerts.history', { alertId: alert.id })
    }
    const f = history[0]!
    expect(f.message).toMatch(
      /^BTC above 1: BTC\/USDT 1m: last greater than 1 at \d{1,3}(,\d{3})*\.\d{2} \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? UTC\)$/,
    )
    expect(f.message).toContain(`(${readableTime(f.time)})`)
    expect(f.message).toContain(formatMessagePrice(f.values.left!, 2))
    expect(f.message).not.toMatch(/T\d{2}:\d{2}:\d{2}\.\d{3}Z/)
    await domain.service.settled()
  })

  it('formats by precision, guesses for an unknown market, and writes UTC times', () => {
    expect(formatMessagePrice(43250, 2)).toBe('43,250.00')
    expect(formatMessagePrice(1.234567, 5)).toBe('1.23457')
    expect(formatMessagePrice(0.0000123456, null)).toBe('0.00001235')
    expect(formatMessagePrice(43250.5, null)).toBe('43,250.50')
    expect(formatMessagePrice(Number.NaN, 2)).toBe('')
    expect(readableTime(Date.UTC(2026, 11, 7, 20, 41))).toBe('2026-12-07 20:41 UTC')
    expect(readableTime(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('2026-01-02 03:04:05 UTC')
  })
})

describe('the sound choice', () => {
  it('is stored with the alert (off unless asked) and survives an edit', async () => {
    const { registry } = harness()
    const spec = { condition: { type: 'event', events: ['backup_failed'] } }
    const quiet = await call<Alert>(registry, 'alerts.create', { alert: spec })
    expect(quiet.sound).toBe(false)
    const loud = await call<Alert>(registry, 'alerts.create', { alert: { ...spec, sound: true } })
    expect(loud.sound).toBe(true)
    const edited = await call<Alert>(registry, 'alerts.update', {
      id: loud.id,
      alert: { ...spec, sound: true, name: 'x' },
    })
    expect(edited).toMatchObject({ sound: true, name: 'x' })
    expect((await call<Alert[]>(registry, 'alerts.list', {})).map((a) => a.sound).sort()).toEqual([
      false,
      true,
    ])
  })
})
