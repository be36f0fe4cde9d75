import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DesktopShell } from '../../src/main/desktop/desktop-shell'
import { sqliteSettings } from '../../src/main/desktop/desktop-settings'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import type { EventOf } from '../../src/shared/contract'
import type { AppErrorShape } from '../../src/shared/contract/errors'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import {
  FakeLifecycle,
  FakeNotifications,
  FakePowerMonitor,
  FakeSaveDialog,
  FakeTray,
  FakeWindow,
} from './fake-electron'

/**
 * The desktop's Export…: the renderer subscribes to journal.exportToFile, main shows the save
 * dialog (a fake Electron `dialog.showSaveDialog`) and writes the chosen file with the real
 * exporter from the engine's real SQLite file; progress, dismissing, cancelling (nothing left
 * under the chosen name, no temporary file) and bad requests. The 20,000 fills of the cancel
 * cases make the file two chunks (write-csv.ts), so there is a chunk to cancel before; they take
 * seconds on a loaded machine, hence their longer time limits.
 */
// The renderer's client, joined in memory (through the wire's JSON) to the desktop engine.
const renderer = vi.hoisted(() => ({ client: null as unknown }))
vi.mock('../../src/renderer/src/connection', () => ({ client: () => renderer.client }))

// The renderer's own file, loaded by path: the node project's type check does not take in the
// renderer's sources (tsconfig.web.json checks the file itself).
const SAVE = '../../src/renderer/src/features/journal/export-save'
type SaveExport = (
  r: { kind: 'fills'; columns: string[]; excel: boolean },
  opts: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
) => Promise<{ rows: number; bytes: number; fileName: string } | null>
const { saveExport } = (await import(SAVE)) as { saveExport: SaveExport }

const tempDir = useTempDirs()
const open: { engine: Engine; shell: DesktopShell }[] = []
afterEach(async () => {
  for (const { engine, shell } of open.splice(0)) {
    shell.close()
    await engine.close()
  }
})

type Ev = EventOf<'journal.exportToFile'>

function desktop() {
  const dialog = new FakeSaveDialog()
  const downloads = tempDir()
  const shell = new DesktopShell({
    platform: 'linux',
    app: new FakeLifecycle(),
    notifications: new FakeNotifications(),
    power: new FakePowerMonitor(),
    createTray: () => new FakeTray(),
    isTrustedUrl: () => true,
    saveDialog: dialog.port,
    exportsFolder: () => downloads,
  })
  const engine = createEngine({
    dataDir: tempDir(),
    host: 'desktop',
    log: silentLogger,
    notifier: shell.notifier,
    chooseExportFile: (q) => shell.chooseExportFile(q),
  })
  open.push({ engine, shell })
  shell.start(
    { registry: engine.registry, settings: sqliteSettings(engine.db), resume: () => {} },
    new FakeWindow(),
  )
  return { dialog, downloads, shell, engine }
}

function addFills(engine: Engine, n: number): void {
  const insert = engine.db.prepare(
    `INSERT INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, client_order_id, side, amount, price,
      cost, fee_cost, fee_currency, taker_or_maker, time, recorded_at)
     VALUES ('demo-paper', ?, ?, ?, NULL, ?, '0.00123', ?, '75.1', '0.0751', 'USDT', 'taker', ?, ?)`,
  )
  const t0 = Date.UTC(2024, 2, 1)
  engine.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const t = t0 + i * 1000
      insert.run(
        i % 2 ? 'BTC/USDT' : '=cmd|x',
        `t${i}`,
        `o${i}`,
        i % 2 ? 'buy' : 'sell',
        `6000${i % 10}.5`,
        t,
        t,
      )
    }
  })()
}

/** Subscribes as the renderer does; resolves with every event once the stream ends. */
function exportToFile(
  engine: Engine,
  params: unknown,
  onEvent: (e: Ev, dispose: () => void) => void = () => {},
): { done: Promise<{ events: Ev[]; error?: AppErrorShape }>; dispose: () => void } {
  const events: Ev[] = []
  let dispose = (): void => {}
  let settle: (r: { events: Ev[]; error?: AppErrorShape }) => void = () => {}
  const done = new Promise<{ events: Ev[]; error?: AppErrorShape }>((resolve) => (settle = resolve))
  const sub = engine.registry.subscribe(
    'journal.exportToFile',
    params,
    {
      emit: (e) => {
        events.push(e as Ev)
        onEvent(e as Ev, () => dispose())
      },
      end: (error) => settle(error ? { events, error } : { events }),
    },
    { transport: 'memory', peer: 'renderer' },
  )
  if (!sub.ok) settle({ events, error: sub.error })
  else dispose = sub.dispose
  return { done, dispose: () => dispose() }
}

describe('desktop export to a chosen file', () => {
  it('asks with the save dialog, then writes the export there with the chosen columns, BOM and local time', async () => {
    const { engine, dialog, downloads } = desktop()
    addFills(engine, 3)
    const file = join(downloads, 'march.csv')
    dialog.answer = file
    const { done } = exportToFile(engine, {
      kind: 'fills',
      columns: ['time', 'symbol', 'side', 'amount', 'price'],
      excel: true,
      localTime: 'Europe/Berlin',
    })
    const { events, error } = await done
    expect(error).toBeUndefined()
    expect(dialog.asked).toHaveLength(1)
    expect(dialog.asked[0]!.defaultPath).toMatch(
      new RegExp(
        `^${downloads.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}/candlework-fills-\\d{4}-\\d\\d-\\d\\d\\.csv$`,
      ),
    )
    expect(dialog.asked[0]!.filters[0]).toEqual({ name: 'CSV files', extensions: ['csv'] })
    expect(events[0]).toEqual({ state: 'choosing' })
    expect(events.at(-1)).toMatchObject({ state: 'saved', file, rows: 3 })
    const text = readFileSync(file, 'utf8')
    expect(text.split('\r\n')).toEqual([
      '\ufefftime,time_local,symbol,side,amount,price',
      "2024-03-01T00:00:00.000Z,2024-03-01T01:00:00.000+01:00,'=cmd|x,sell,0.00123,60000.5",
      '2024-03-01T00:00:01.000Z,2024-03-01T01:00:01.000+01:00,BTC/USDT,buy,0.00123,60001.5',
      "2024-03-01T00:00:02.000Z,2024-03-01T01:00:02.000+01:00,'=cmd|x,sell,0.00123,60002.5",
      '',
    ])
    expect(readdirSync(downloads)).toEqual(['march.csv'])
  })

  it("saves the Alerts view's history with its filter (the same stream, kind alerts)", async () => {
    const { engine, dialog, downloads } = desktop()
    const file = join(downloads, 'alerts.csv')
    dialog.answer = file
    const { events, error } = await exportToFile(engine, {
      kind: 'alerts',
      symbol: 'BTC/USDT',
      firingKind: 'compare',
    }).done
    expect(error).toBeUndefined()
    expect(dialog.asked[0]!.title).toBe('Export alerts to CSV')
    expect(events.at(-1)).toMatchObject({ state: 'saved', file, rows: 0 })
    expect(readFileSync(file, 'utf8')).toBe(
      'time,alert,kind,symbol,timeframe,message,values,away,delivered,failed\r\n',
    )
  })

  it('writes nothing when the trader dismisses the dialog', async () => {
    const { engine, dialog, downloads } = desktop()
    addFills(engine, 3)
    dialog.answer = null
    const { events, error } = await exportToFile(engine, { kind: 'fills' }).done
    expect(error).toBeUndefined()
    expect(events.map((e) => e.state)).toEqual(['choosing', 'dismissed'])
    expect(readdirSync(downloads)).toEqual([])
  })

  it('cancelled while writing (the renderer unsubscribes): no file under the chosen name, the old one kept, no temporary file', async () => {
    const { engine, dialog, downloads } = desktop()
    addFills(engine, 20_000)
    const file = join(downloads, 'fills.csv')
    writeFileSync(file, 'what was there before\r\n')
    dialog.answer = file
    const seen: Ev[] = []
    const { dispose } = exportToFile(engine, { kind: 'fills' }, (e, stop) => {
      seen.push(e)
      // The first progress after a chunk was written: the trader clicks Cancel.
      if (e.state === 'writing' && e.done > 0) stop()
    })
    await expect
      .poll(() => seen.some((e) => e.state === 'writing' && e.done > 0), { timeout: 60_000 })
      .toBe(true)
    dispose()
    // The writer notices at its next chunk and removes its temporary file.
    await expect.poll(() => readdirSync(downloads), { timeout: 10_000 }).toEqual(['fills.csv'])
    expect(readFileSync(file, 'utf8')).toBe('what was there before\r\n')
    const writing = seen.filter((e) => e.state === 'writing')
    expect(writing.at(-1)).toMatchObject({ total: 20_000 })
    expect(seen.some((e) => e.state === 'saved')).toBe(false)
  }, 120_000)

  it('cancelled while the dialog is open: nothing is written even if a file is then chosen', async () => {
    const { engine, dialog, downloads } = desktop()
    addFills(engine, 3)
    dialog.answer = join(downloads, 'late.csv')
    dialog.hold()
    const { dispose } = exportToFile(engine, { kind: 'fills' })
    await expect.poll(() => dialog.asked.length).toBe(1)
    dispose()
    dialog.release()
    await new Promise((r) => setTimeout(r, 50))
    expect(readdirSync(downloads)).toEqual([])
  })

  it('refuses a bad column, zone or account before any dialog, naming the field', async () => {
    const { engine, dialog } = desktop()
    const bad = [
      [{ kind: 'trades', columns: ['net_pnl', 'pnl'] }, 'params.columns', /unknown column "pnl"/],
      [{ kind: 'fills', localTime: 'Mars/Olympus' }, 'params.localTime', /not a time zone/],
      [{ kind: 'orders', account: 'nobody' }, 'params.account', /nobody/],
      [{ kind: 'alerts', firingKind: 'moon' }, 'params.firingKind', /^firingKind: "moon" is not one of/],
    ] as const
    for (const [params, path, message] of bad) {
      const { error } = await exportToFile(engine, params).done
      expect(error).toMatchObject({ kind: 'validation', path })
      expect(error?.message).toMatch(message)
    }
    expect(dialog.asked).toEqual([])
  })

  it('is unavailable without a save dialog (the headless host downloads instead)', async () => {
    const headless = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    try {
      const { error } = await exportToFile(headless, { kind: 'fills' }).done
      expect(error).toMatchObject({ kind: 'unavailable' })
      expect(error?.message).toMatch(/download/)
    } finally {
      await headless.close()
    }
  })

  it("the Journal view's saveExport: saved through the wire, and an abort cancels with nothing left", async () => {
    const { engine, dialog, downloads } = desktop()
    // Two chunks (16,384 rows each at most): one to see progress after, one to cancel before.
    addFills(engine, 20_000)
    const pair = memoryPair(engine.registry)
    renderer.client = pair.client
    try {
      dialog.answer = join(downloads, 'all.csv')
      const progress: number[] = []
      const saved = await saveExport(
        { kind: 'fills', columns: [], excel: false },
        { signal: new AbortController().signal, onProgress: (done) => progress.push(done) },
      )
      expect(saved).toMatchObject({ rows: 20_000, fileName: join(downloads, 'all.csv') })
      expect(progress.length).toBeGreaterThan(0)
      expect(readFileSync(join(downloads, 'all.csv'), 'utf8').split('\r\n')).toHaveLength(20_002)

      dialog.answer = join(downloads, 'cancelled.csv')
      const ctl = new AbortController()
      const cancelled = saveExport(
        { kind: 'fills', columns: [], excel: false },
        { signal: ctl.signal, onProgress: (done) => done > 0 && ctl.abort() },
      )
      await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
      await expect.poll(() => readdirSync(downloads), { timeout: 10_000 }).toEqual(['all.csv'])

      dialog.answer = null
      const dismissed = await saveExport(
        { kind: 'fills', columns: [], excel: false },
        { signal: new AbortController().signal, onProgress: () => {} },
      )
      expect(dismissed).toBeNull()
    } finally {
      pair.disconnect()
      renderer.client = null
    }
  }, 120_000)
})
