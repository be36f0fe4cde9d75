/**
 * The Backtest form's pure part: its fields as text (what the trader typed), their defaults from
 * a strategy's parameters, and the `backtest.run` request built from them, with an error naming
 * the field when one does not parse. No React, no client: tested on its own.
 */
import type { ParamsIn } from '../../../../shared/contract'
import type { StrategyInfo } from '../../../../shared/contract/backtest'
import type { Timeframe } from '../../../../shared/domain/timeframes'

export type SizingMode = 'percent' | 'quote' | 'units' | 'risk'

export interface BacktestForm {
  strategy: string
  /** Parameter values as typed, by name. */
  params: Record<string, string>
  /** `source|symbol` keys of the chosen markets. */
  symbols: string[]
  timeframe: Timeframe
  /** UTC dates `YYYY-MM-DD`, or empty for the whole stored range. */
  from: string
  to: string
  cash: string
  /** Taker fee in percent (0.1 = 0.1 %). */
  feePct: string
  slippageBps: string
  sizingMode: SizingMode
  sizingValue: string
  sides: 'long' | 'short' | 'both'
  /** Resolve fills inside a bar on the market's finer bars (settings.intrabar). */
  intrabar: boolean
}

export const symbolKey = (source: string, symbol: string): string => `${source}|${symbol}`

export function emptyForm(): BacktestForm {
  return {
    strategy: '',
    params: {},
    symbols: [],
    timeframe: '1h',
    from: '',
    to: '',
    cash: '10000',
    feePct: '0.1',
    slippageBps: '2',
    sizingMode: 'percent',
    sizingValue: '100',
    sides: 'long',
    intrabar: false,
  }
}

/** The strategy's parameters at their defaults, as the form shows them. */
export function paramDefaults(info: StrategyInfo): Record<string, string> {
  return Object.fromEntries(info.params.map((p) => [p.name, String(p.default)]))
}

export type RunRequest = ParamsIn<'backtest.run'>

export class FormError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

function num(field: string, label: string, text: string, min: number, max = Infinity): number {
  const v = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(v)) throw new FormError(field, `${label}: enter a number`)
  if (v < min || v > max)
    throw new FormError(field, `${label}: between ${min} and ${max === Infinity ? 'any' : max}`)
  return v
}

function date(field: string, label: string, text: string, endOfDay: boolean): number | undefined {
  if (text.trim() === '') return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  // Date.UTC rolls 2026-13-01 over into 2027: a date must read back as typed.
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== text.trim())
    throw new FormError(field, `${label}: a date as YYYY-MM-DD`)
  return endOfDay ? t + 86_400_000 - 1 : t
}

/** The `backtest.run` request of a form, or a FormError naming the first bad field. */
export function runRequest(form: BacktestForm, info: StrategyInfo | undefined): RunRequest {
  if (!info) throw new FormError('strategy', 'Strategy: choose one')
  const params: Record<string, unknown> = {}
  for (const p of info.params) {
    const text = form.params[p.name] ?? String(p.default)
    const field = `param.${p.name}`
    if (p.kind === 'boolean') params[p.name] = text === 'true'
    else if (p.kind === 'choice') params[p.name] = text
    else {
      const v = num(field, p.name, text, p.min ?? -Infinity, p.max ?? Infinity)
      if (p.kind === 'integer' && !Number.isInteger(v))
        throw new FormError(field, `${p.name}: a whole number`)
      params[p.name] = v
    }
  }
  if (form.symbols.length === 0) throw new FormError('symbols', 'Symbols: choose at least one')
  const symbols = form.symbols.map((k) => {
    const i = k.indexOf('|')
    return { source: k.slice(0, i), symbol: k.slice(i + 1) }
  })
  const from = date('from', 'From', form.from, false)
  const to = date('to', 'To', form.to, true)
  if (from !== undefined && to !== undefined && from > to) throw new FormError('to', 'To: after From')
  const cash = num('cash', 'Cash', form.cash, 1)
  const fee = num('feePct', 'Fee %', form.feePct, 0, 10)
  const bps = num('slippageBps', 'Slippage bps', form.slippageBps, 0, 1000)
  const sizing = num('sizingValue', 'Size', form.sizingValue, Number.MIN_VALUE)
  return {
    strategy: info.id,
    params,
    symbols,
    timeframe: form.timeframe,
    settings: {
      cash,
      fees: { maker: fee / 100, taker: fee / 100 },
      slippage: { bps },
      sizing: {
        mode: form.sizingMode,
        value: form.sizingMode === 'percent' || form.sizingMode === 'risk' ? sizing / 100 : sizing,
      },
      sides: form.sides,
      ...(form.intrabar ? { intrabar: true } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    },
  }
}

/**
 * Time left for a run from its progress: the rate so far applied to what remains; null until
 * there is a rate to go by.
 */
export function etaMs(done: number, total: number, startedAt: number, now: number): number | null {
  if (done <= 0 || total <= 0 || done >= total || now <= startedAt) return null
  return ((now - startedAt) / done) * (total - done)
}
