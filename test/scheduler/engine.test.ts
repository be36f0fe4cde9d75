import { afterEach, describe, expect, it } from 'vitest'
import type { Alert, Firing } from '../../src/shared/contract/alerts'
import type { Task } from '../../src/shared/contract/scheduler'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { createSchedulerDomain } from '../../src/main/scheduler/domain'
import { dayStart, summaryText } from '../../src/main/scheduler/tasks/daily-pnl'
import { candleBackfillKind } from '../../src/main/scheduler/tasks/candle-backfill'
import { memorySecretStore } from '../../src/main/secrets/store'
import { AppError } from '../../src/shared/contract/errors'
import { alertSpecSchema } from '../../src/shared/contract/alerts'
import { createAlertsDomain } from '../../src/main/alerts/domain'
import { createDemoMarket } from '../../src/main/demo'
import { candleUpdates } from '../../src/main/market/candle-updates'
import { marketBarSource } from '../../src/main/signals/bars'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { join } from 'node:path'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory' as const, peer: 'test' }
const engines: Engine[] = []
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close()
})

async function call<T>(engine: Engine, name: string, params: unknown): Promise<T> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return res.value as T
}

function engine(): Engine {
  const e = createEngine({
    dataDir: tempDir(),
    host: 'headless',
    log: silentLogger,
    secrets: memorySecretStore(),
    computeWorkers: 1,
  })
  engines.push(e)
  return e
}

describe('the scheduler in the engine', () => {
  it('lists the built-in tasks with their schedules in words and next runs', async () => {
    const e = engine()
    const tasks = await call<Task[]>(e, 'scheduler.list', {})
    expect(tasks.map((t) => [t.id, t.enabled, t.catchUp])).toEqual([
      ['candle-backfill', true, 'run-once'],
      ['daily-pnl', false, 'skip'],
      ['alert-housekeeping', true, 'run-once'],
      ['backup', true, 'run-once'],
      ['strategy-start', false, 'skip'],
      ['strategy-stop', false, 'skip'],
    ])
    const housekeeping = tasks[2]!
    expect(housekeeping.description).toBe('At 03:30 (UTC)')
    expect(housekeeping.nextRuns).toHaveLength(5)
    expect(tasks[1]!.nextRuns).toEqual([]) // disabled
  })

  it('delivers the daily P&L summary and housekeeping through alerts on job events', async () => {
    const e = engine()
    const alert = await call<Alert>(e, 'alerts.create', {
      alert: { name: 'jobs', condition: { type: 'job', events: ['summary', 'failed'] } },
    })
    expect(alert.description).toBe('a scheduled task summary or failing')
    const ran = await call<Task>(e, 'scheduler.runNow', { id: 'daily-pnl' })
    expect(ran.lastRun).toMatchObject({ result: 'ok', trigger: 'manual' })
    expect(ran.lastRun!.message).toMatch(/^Daily P&L \d{4}-\d{2}-\d{2} \(UTC\): no fills$/)
    const history = await call<Firing[]>(e, 'alerts.history', {})
    expect(history).toHaveLength(1)
    expect(history[0]!.message).toContain(ran.lastRun!.message)
    const kept = await call<Task>(e, 'scheduler.runNow', { id: 'alert-housekeeping' })
    expect(kept.lastRun!.message).toBe('deleted 0 firings and 0 delivery attempts older than 90 days')
  })

  it('switching the daily P&L summary on adds the alert that delivers it, once, and each run then notifies', async () => {
    const e = engine()
    const summaries = async () =>
      (await call<Alert[]>(e, 'alerts.list', {})).filter((a) => a.condition.type === 'job')
    expect(await summaries()).toEqual([])
    await call<Task>(e, 'scheduler.update', { id: 'daily-pnl', enabled: true })
    await expect.poll(async () => (await summaries()).length).toBe(1)
    const [alert] = await summaries()
    expect(alert).toMatchObject({
      name: 'Daily P&L summary',
      status: 'active',
      condition: { type: 'job', events: ['summary'], task: 'daily-pnl' },
      frequency: 'every_time',
    })
    // Off and on again: the alert already delivers it, no second one.
    await call<Task>(e, 'scheduler.update', { id: 'daily-pnl', enabled: false })
    await call<Task>(e, 'scheduler.update', { id: 'daily-pnl', enabled: true })
    await call<Task>(e, 'scheduler.runNow', { id: 'daily-pnl' })
    await call<Task>(e, 'scheduler.runNow', { id: 'daily-pnl' })
    expect(await summaries()).toHaveLength(1)
    const history = await call<Firing[]>(e, 'alerts.history', {})
    expect(history.map((f) => f.alertId)).toEqual([alert!.id, alert!.id])
  })

  it("raises a failing task's job_failed event through the alerts service", async () => {
    const clock = { now: () => Date.now() }
    const db = openDatabase(join(tempDir(), 'candlework.db'))
    const demo = createDemoMarket()
    const live = candleUpdates({ demo, clock })
    const alerts = createAlertsDomain({
      db,
      clock,
      log: silentLogger,
      secrets: memorySecretStore(),
      bars: marketBarSource(db, demo, undefined, live),
    })
    alerts.start?.()
    await alerts.service.create(
      alertSpecSchema.parse({ condition: { type: 'job', events: ['failed'], task: 'candle-backfill' } }),
    )
    const s = createSchedulerDomain({
      db,
      clock,
      log: silentLogger,
      wake: false,
      events: alerts.service,
      kinds: [
        candleBackfillKind({
          series: () => [
            {
              source: 'binance',
              symbol: 'BTC/USDT',
              timeframe: '1h',
              importedFrom: null,
              count: 10,
              last: Date.now() - 7_200_000,
            },
          ],
          history: {
            covers: () => true,
            ensure: async () => new AppError('unavailable', 'binance is unreachable'),
          },
        }),
      ],
    })
    s.start?.()
    const t = await s.service.runNow('candle-backfill')
    await s.close?.()
    expect(t.lastRun).toMatchObject({
      result: 'failed',
      message: '1 of 1 series failed (0 bars added): binance BTC/USDT 1h: binance is unreachable',
    })
    const history = alerts.service.history({ unreadOnly: false, limit: 10 })
    expect(history).toHaveLength(1)
    expect(history[0]!.message).toContain(
      'Candle backfill failed: 1 of 1 series failed (0 bars added): binance BTC/USDT 1h: binance is unreachable',
    )
    await alerts.close?.()
    closeDatabase(db)
  })
})

describe('the daily P&L summary', () => {
  it("sums up the task's local day; a run at midnight sums up the day before", () => {
    // 18:00 BST on 30 March 2025 (the day London moved to summer time): the day began at 00:00 GMT.
    expect(dayStart(Date.UTC(2025, 2, 30, 17), 'Europe/London')).toBe(Date.UTC(2025, 2, 30, 0))
    // Midnight BST of 1 April: the day of 31 March, which began at 00:00 BST (23:00 UTC on the 30th).
    expect(dayStart(Date.UTC(2025, 2, 31, 23), 'Europe/London')).toBe(Date.UTC(2025, 2, 30, 23))
    expect(dayStart(Date.UTC(2025, 3, 1, 0), 'UTC')).toBe(Date.UTC(2025, 2, 31, 0))
  })

  it('states each exact realized P&L with its sign and currency', () => {
    const text = summaryText('2025-03-30', 'UTC', [
      {
        accountName: 'Demo paper',
        symbols: [
          { symbol: 'BTC/USDT', quote: 'USDT', realized: '12.5', fills: 3 },
          { symbol: 'ETH/USDT', quote: 'USDT', realized: '-0.10', fills: 1 },
        ],
      },
    ])
    expect(text).toBe(
      'Daily P&L 2025-03-30 (UTC): Demo paper: BTC/USDT +12.5 USDT (3 fills), ETH/USDT -0.10 USDT (1 fill)',
    )
  })
})
