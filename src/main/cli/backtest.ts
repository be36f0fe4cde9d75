/**
 * `backtest (--file F | --symbol S --timeframe TF) (--strategy NAME | --strategy-file F) [options]`, and
 * `backtest --list-strategies`.
 *
 * Runs a built-in strategy over a candle file or a stored series with the engine the app uses,
 * and prints a summary, or with `--json` `{"trades": [...], "metrics": {...}, "equity": {"time":
 * [...], "value": [...]}}` (times in ms since the epoch, fractions not percents, NaN as null).
 * `--report OUT.html` writes a self-contained tearsheet.
 *
 * Exit codes: 0 done; 1 the data cannot be used or the run failed; 2 usage errors, bad
 * parameters or settings.
 */
import { writeFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { AppError } from '../../shared/contract/errors'
import { timeframeSchema } from '../../shared/domain/timeframes'
import type { SymbolSeries } from '../backtest/engine'
import { finerSeriesOfStore, seriesOfFile, seriesOfStore } from '../backtest/data'
import { tearsheetHtml } from '../backtest/report'
import { runSpec, type RunOutput } from '../backtest/run'
import type { BacktestSettingsInput, Sizing } from '../backtest/settings'
import { STRATEGIES } from '../backtest/strategies'
import { describeStrategyFile, runStrategyFile, strategyFiles } from '../backtest/user/run'
import { databaseFile, resolveDataDir } from '../paths'
import { closeDatabase, openDatabase } from '../storage/database'
import { parseFlags, usageError, type CliCommand, type CliIo } from './io'

const USAGE = `Usage: npm run cli -- backtest (--file F | --symbol S --timeframe TF) (--strategy NAME | --strategy-file F) [options]
       npm run cli -- backtest --list-strategies

  --file F               CSV or JSON candle file
  --symbol S             a stored series (imported or backfilled), with --timeframe TF
  --source NAME          the stored series' source when several hold the symbol
  --data-dir D           data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --strategy NAME        a built-in strategy, or a file's name in the data folder's strategies/
  --strategy-file F      a user strategy file (.ts or .js; run in a worker, 1 s per bar at most)
  --param k=v            a strategy parameter; repeat for several
  --from T, --to T       range to trade (ISO date or ms); bars before --from warm indicators up
  --cash N               starting cash (default 10000)
  --commission R         taker and maker fee as a fraction (0.001 = 0.1 %)
  --slippage-bps N       adverse slippage on market and stop fills
  --size SPEC            units:N | quote:N | percent:P | risk:P  (P in percent; default percent:100)
  --lot-step N           round sizes down to multiples of N (1 = whole units)
  --sides S              long | short | both (default long)
  --fill F               next-open (default) | close (fills at the signal bar's close; flagged)
  --compat backtesting.py  that library's conventions and statistics
  --json                 print {"trades", "metrics", "equity"} as JSON
  --report OUT.html      write a self-contained HTML tearsheet
  --intrabar             resolve fills inside a bar on the symbol's finer stored bars (1m under 1h)
  --intrabar-file F      the finer bars from a file (with --file, required for --intrabar)
  --list-strategies      list the built-in and the data folder's strategies with their parameters`

const OPTIONS = {
  file: { type: 'string' },
  symbol: { type: 'string' },
  timeframe: { type: 'string' },
  source: { type: 'string' },
  'data-dir': { type: 'string' },
  strategy: { type: 'string' },
  'strategy-file': { type: 'string' },
  param: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  cash: { type: 'string' },
  commission: { type: 'string' },
  'slippage-bps': { type: 'string' },
  size: { type: 'string' },
  'lot-step': { type: 'string' },
  sides: { type: 'string' },
  fill: { type: 'string' },
  compat: { type: 'string' },
  intrabar: { type: 'boolean', default: false },
  'intrabar-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  report: { type: 'string' },
  'list-strategies': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export class Usage extends Error {}

export function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const v = Number(text)
  if (text.trim() === '' || !Number.isFinite(v)) throw new Usage(`--${flag} "${text}" is not a number`)
  return v
}

export function time(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const v = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(v))
    throw new Usage(`--${flag} "${text}" is not a date (ISO 8601) or ms since the epoch`)
  return v
}

export function sizing(text: string | undefined): Sizing | undefined {
  if (text === undefined) return undefined
  const m = /^(units|quote|percent|risk):(.+)$/.exec(text)
  const v = m ? Number(m[2]) : NaN
  if (!m || !(v > 0)) throw new Usage(`--size "${text}": expected units:N, quote:N, percent:P or risk:P`)
  const mode = m[1] as Sizing['mode']
  return mode === 'percent' || mode === 'risk' ? { mode, value: v / 100 } : { mode, value: v }
}

/** `k=v` pairs; numbers and booleans as such, other values as text. */
export function params(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const p of pairs) {
    const k = p.indexOf('=')
    if (k <= 0) throw new Usage(`--param "${p}": expected name=value`)
    const raw = p.slice(k + 1)
    const n = Number(raw)
    out[p.slice(0, k)] =
      raw.trim() !== '' && Number.isFinite(n) ? n : raw === 'true' ? true : raw === 'false' ? false : raw
  }
  return out
}

export function strategiesText(): string {
  return STRATEGIES.map((s) => {
    const defaults = s.params.parse({}) as Record<string, unknown>
    const lines = Object.entries(defaults).map(([k, v]) => {
      const r = s.ranges[k]
      return `    ${k} = ${String(v)}${r ? `  (search ${r.min}..${r.max} step ${r.step})` : ''}`
    })
    return [`${s.id}  ${s.title}`, `  ${s.description}`, '  parameters:', ...lines].join('\n')
  }).join('\n\n')
}

/** The data folder's `strategies/`, where user strategy files live. */
function strategiesDir(dataDir: string | undefined): string {
  return join(resolveDataDir(dataDir), 'strategies')
}

/**
 * `--strategy NAME` naming a file of the data folder's `strategies/` (by its file name without
 * extension) when no built-in has that id: that file's path.
 */
function userStrategy(v: { strategy?: string; 'data-dir'?: string }): string | undefined {
  if (!v.strategy || STRATEGIES.some((s) => s.id === v.strategy)) return undefined
  const f = strategyFiles(strategiesDir(v['data-dir'])).find((p) => basename(p, extname(p)) === v.strategy)
  return f
}

/** User strategies of a folder, each loaded in a worker; one that fails to load says why. */
async function userStrategiesText(dir: string): Promise<string> {
  const files = strategyFiles(dir)
  const parts: string[] = []
  for (const f of files) {
    try {
      const d = await describeStrategyFile(f)
      const lines = Object.entries(d.defaults).map(([k, val]) => {
        const r = d.ranges[k]
        return `    ${k} = ${String(val)}${r ? `  (search ${r.min}..${r.max} step ${r.step})` : ''}`
      })
      parts.push(
        [`${d.id}  ${d.title}  (file ${f})`, `  ${d.description}`, '  parameters:', ...lines].join('\n'),
      )
    } catch (err) {
      parts.push(`${basename(f)}  cannot be loaded: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return parts.length ? `User strategies in ${dir}:\n\n${parts.join('\n\n')}` : ''
}

const pct = (x: number): string => (x === x ? `${(x * 100).toFixed(2)} %` : 'n/a')
const num = (x: number, d = 2): string => (x === x ? x.toFixed(d) : 'n/a')

function summary(out: RunOutput, bars: number): string {
  const m = out.metrics
  const r = out.result
  return [
    `${out.strategy} ${JSON.stringify(out.params)}`,
    `bars ${bars}, range ${new Date(m.start).toISOString()} .. ${new Date(m.end).toISOString()}`,
    `equity ${num(m.equityStart)} -> ${num(m.equityFinal)}  total return ${pct(m.totalReturn)}  buy and hold ${pct(m.buyHoldReturn)}`,
    `CAGR ${pct(m.cagr)}  volatility ${pct(m.annualVolatility)}  Sharpe ${num(m.sharpe)}  Sortino ${num(m.sortino)}  Calmar ${num(m.calmar)}`,
    `max drawdown ${pct(m.maxDrawdown)}  exposure ${pct(m.exposureTime)}`,
    `trades ${m.trades}  win rate ${pct(m.winRate)}  profit factor ${num(m.profitFactor)}  SQN ${num(m.sqn)}  fees ${num(r.feesPaid)}`,
    `ambiguous bars ${r.ambiguousBars}${out.settings.intrabar ? `  resolved on finer bars ${r.intrabarBars}` : ''}  rejected orders ${r.rejectedOrders}  working at end ${r.workingAtEnd}`,
    ...r.flags.map((f) => `note: ${f}`),
    `data ${out.dataFingerprint.slice(0, 16)}  strategy ${out.strategyHash.slice(0, 16)}`,
  ].join('\n')
}

/** The `--json` document: the issue's shape, NaN as null. */
export function runJson(out: RunOutput): string {
  return JSON.stringify({
    trades: out.result.trades,
    metrics: out.metrics,
    equity: { time: Array.from(out.result.equity.time), value: Array.from(out.result.equity.value) },
  })
}

/**
 * The run's bars, and with `--intrabar` the finer bars: `--intrabar-file`'s, or the finest
 * stored series of the symbol below the timeframe (none stored: the run says so in its notes).
 */
export function loadData(values: Record<string, unknown>): SymbolSeries[] {
  const file = values.file as string | undefined
  const intrabar = values.intrabar === true
  const fineFile = values['intrabar-file'] as string | undefined
  if (fineFile && !intrabar) throw new Usage('--intrabar-file needs --intrabar')
  if (file) {
    if (intrabar && !fineFile)
      throw new Usage('--intrabar with --file needs --intrabar-file F (the finer bars)')
    const series = seriesOfFile(file)
    return [
      {
        symbol: basename(file, extname(file)),
        series,
        ...(fineFile ? { fine: seriesOfFile(fineFile) } : {}),
      },
    ]
  }
  const symbol = values.symbol as string
  const tf = timeframeSchema.safeParse(values.timeframe)
  if (!tf.success) throw new Usage(`--timeframe "${String(values.timeframe)}" is not a timeframe`)
  const db = openDatabase(databaseFile(resolveDataDir(values['data-dir'] as string | undefined)))
  try {
    const source = values.source as string | undefined
    const series = seriesOfStore(db, symbol, tf.data, source)
    const fine = fineFile
      ? seriesOfFile(fineFile)
      : intrabar
        ? finerSeriesOfStore(db, symbol, tf.data, source, series.time[0])?.series
        : undefined
    return [{ symbol, series, ...(fine ? { fine } : {}) }]
  } finally {
    closeDatabase(db)
  }
}

function fail(io: CliIo, err: unknown): number {
  if (err instanceof Usage) return usageError(io, 'backtest', USAGE, err.message)
  if (err instanceof AppError) {
    io.err(`backtest: ${err.message}`)
    return err.kind === 'validation' && /^(params|settings)\./.test(err.path ?? '') ? 2 : 1
  }
  throw err
}

export const backtestCommand: CliCommand = async (argv, io) => {
  const flags = parseFlags('backtest', USAGE, argv, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const v = flags.values
  if (v['list-strategies']) {
    io.out(strategiesText())
    const user = await userStrategiesText(strategiesDir(v['data-dir']))
    if (user) io.out(user)
    return 0
  }
  try {
    if (v.strategy && v['strategy-file']) throw new Usage('--strategy and --strategy-file exclude each other')
    if (!v.strategy && !v['strategy-file'])
      throw new Usage('--strategy NAME or --strategy-file F is required (see --list-strategies)')
    if (!v.file && !v.symbol) throw new Usage('give --file F, or --symbol S with --timeframe TF')
    if (v.file && v.symbol) throw new Usage('--file and --symbol exclude each other')
    if (v.symbol && !v.timeframe) throw new Usage('--symbol needs --timeframe')
    if (v.compat !== undefined && v.compat !== 'backtesting.py')
      throw new Usage(`--compat "${v.compat}": the one compatibility mode is backtesting.py`)
    const commission = number('commission', v.commission)
    const settings: BacktestSettingsInput = {
      cash: number('cash', v.cash),
      fees: commission === undefined ? undefined : { maker: commission, taker: commission },
      slippage:
        v['slippage-bps'] === undefined ? undefined : { bps: number('slippage-bps', v['slippage-bps']) },
      sizing: sizing(v.size),
      lotStep: number('lot-step', v['lot-step']),
      sides: v.sides as BacktestSettingsInput['sides'],
      fill: v.fill as BacktestSettingsInput['fill'],
      compat: v.compat === 'backtesting.py' ? 'backtesting.py' : undefined,
      intrabar: v.intrabar || undefined,
      from: time('from', v.from),
      to: time('to', v.to),
    }
    const p = params(v.param ?? [])
    const data = loadData(v)
    const file = v['strategy-file'] ?? userStrategy(v)
    const out = file
      ? await runStrategyFile(file, { params: p, settings }, data)
      : runSpec({ strategy: v.strategy!, params: p, settings }, data)
    if (v.report) {
      writeFileSync(v.report, tearsheetHtml(out))
      if (!v.json) io.out(`wrote ${v.report}`)
    }
    io.out(v.json ? runJson(out) : summary(out, data[0]!.series.time.length))
    return 0
  } catch (err) {
    return fail(io, err)
  }
}
