import { AppError } from '../../shared/contract/errors'
import type { Alert, AlertSpec, EngineEventKind, MarketCondition } from '../../shared/contract/alerts'
import { timeframeMs } from '../../shared/domain/timeframes'
import { compileCondition, type Evaluator } from './conditions'
import type { AlertRow, StoredSpec } from './store'

export type { StoredSpec } from './store'

/** Where the alert's series' timeframes come from, for the check that it is charted. */
export interface SeriesCheck {
  /** Timeframes with bars for the symbol; throws `not_found` for an unknown symbol. */
  timeframes(source: string, symbol: string): readonly string[]
}

const P = 'params.alert'

/** Engine events in words, for descriptions (`clock skew passing the guard (binance)`). */
export const EVENT_WORDS: Record<EngineEventKind, string> = {
  clock_skew: 'clock skew passing the guard',
  backup_failed: 'a backup failing',
  risk_limit_hit: 'a risk limit hit',
  trading_halted: 'trading halted',
}

export function isMarket(c: AlertSpec['condition']): c is MarketCondition {
  return c.type !== 'order' && c.type !== 'breaker' && c.type !== 'job' && c.type !== 'event'
}

/**
 * Checks what zod cannot: the series is charted and the condition fits it, indicators and outputs
 * exist with parameters in range, the expiry is in the future. Answers the compiled evaluator
 * (null for events and the signal score), so the check and the evaluation are the same code.
 */
export function checkSpec(
  spec: Pick<AlertSpec, 'series' | 'condition' | 'expiresAt'>,
  now: number,
  series: SeriesCheck,
  hasSignals: boolean,
): Evaluator | null {
  if (spec.expiresAt !== null && spec.expiresAt <= now) {
    throw new AppError(
      'validation',
      'the expiry is in the past: give a time after now, or none',
      `${P}.expiresAt`,
    )
  }
  const c = spec.condition
  if (!isMarket(c)) {
    if (spec.series !== null) {
      throw new AppError(
        'validation',
        `an ${c.type} alert watches no series: leave series out`,
        `${P}.series`,
      )
    }
    return null
  }
  const s = spec.series
  if (s === null)
    throw new AppError(
      'validation',
      'this condition needs a series (source, symbol, timeframe)',
      `${P}.series`,
    )
  let tfs: readonly string[]
  try {
    tfs = series.timeframes(s.source, s.symbol)
  } catch (err) {
    if (err instanceof AppError) throw new AppError('validation', err.message, `${P}.series.symbol`)
    throw err
  }
  if (!tfs.includes(s.timeframe)) {
    throw new AppError(
      'validation',
      `${s.symbol} has no ${s.timeframe} bars (timeframes: ${tfs.join(', ')})`,
      `${P}.series.timeframe`,
    )
  }
  if (c.type === 'signal_score') {
    if (!hasSignals)
      throw new AppError('unavailable', 'signal scores are not available in this engine', `${P}.condition`)
    return null
  }
  return compileCondition(c, `${P}.condition`, timeframeMs(s.timeframe))
}

/** The condition in words, for lists and messages. */
export function describe(spec: StoredSpec): string {
  const c = spec.condition
  const where = spec.series ? `${spec.series.symbol} ${spec.series.timeframe}: ` : ''
  switch (c.type) {
    case 'order':
      return `order ${c.events.join(' or ').replace(/_/g, ' ')}${c.accountId ? ` (${c.accountId})` : ''}`
    case 'breaker':
      return `${c.exchange ?? 'an exchange'}'s breaker opening`
    case 'job':
      return `${c.task ?? 'a scheduled task'} ${c.events.map((e) => (e === 'failed' ? 'failing' : 'summary')).join(' or ')}`
    case 'event':
      return `${c.events.map((e) => EVENT_WORDS[e]).join(' or ')}${c.subject ? ` (${c.subject})` : ''}`
    case 'signal_score':
      return `${where}signal score ${c.op.replace('_', ' ')} ${c.threshold}`
    default: {
      const s = spec.series!
      return where + compileCondition(c, P, timeframeMs(s.timeframe)).describe
    }
  }
}

export function toAlert(row: AlertRow): Alert {
  const s = row.spec
  return {
    id: row.id,
    name: s.name,
    series: s.series,
    condition: s.condition,
    evaluate: s.evaluate,
    frequency: s.frequency,
    minIntervalMs: s.minIntervalMs,
    expiresAt: s.expiresAt,
    hysteresis: s.hysteresis,
    message: s.message ?? null,
    // Stored before alerts had a sound: none.
    sound: s.sound ?? false,
    deliveries: s.deliveries,
    status: row.status,
    description: describe(s),
    lastFiredAt: row.state.lastFiredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}
