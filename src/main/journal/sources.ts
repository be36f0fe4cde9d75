import type { SignalSnapshot } from '../../shared/contract/journal'
import { RISK_DEFAULTS } from '../../shared/contract/risk'
import { DEFAULT_PROFILE, signalReasonSchema, type SignalProfile } from '../../shared/domain/signals'
import { barsBack, bucketStart, timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import { z } from 'zod'
import type { Clock } from '../clock'
import { DEMO_SOURCE, type DemoMarket } from '../demo'
import { finestSeries, storedSeriesOf } from '../market/backing-series'
import { listProfiles } from '../signals/store'
import { readCandleRange } from '../storage/candle-store'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import type { JournalAccounts, JournalCandles, JournalOrders, JournalSignals, OrderKind } from './ports'

/**
 * The journal's ports over the tables other domains write (read only): accounts, orders,
 * candles (the demo market's, or the finest series stored for an exchange's market) and the
 * signal history. The engine passes these; nothing here writes.
 */

/** The exchange id of the paper accounts that trade on the demo market. */
const DEMO_EXCHANGE_ID = 'paper'

/** A stop created up to this long after the entry fill still counts as resting at entry (bracket legs are placed when the entry fills). */
export const STOP_GRACE_MS = 60_000

const statements = perConnection((db: Db) => ({
  account: db.prepare<[string], { name: string; exchange_id: string; mode: string }>(
    'SELECT name, exchange_id, mode FROM trading_accounts WHERE id = ?',
  ),
  byExchangeId: db.prepare<[string, string, string], { type: string }>(
    'SELECT type FROM trading_orders WHERE account_id = ? AND symbol = ? AND exchange_order_id = ?',
  ),
  byClientId: db.prepare<[string, string], { type: string }>(
    'SELECT type FROM trading_orders WHERE account_id = ? AND client_order_id = ?',
  ),
  stops: db.prepare<
    [string, string, string, number, number],
    { stop_price: string | null; status: string; updated_at: number }
  >(
    `SELECT stop_price, status, updated_at FROM trading_orders
     WHERE account_id = ? AND symbol = ? AND side = ? AND type IN ('stop', 'stop_limit')
       AND created_at <= ? AND created_at >= ? AND stop_price IS NOT NULL
     ORDER BY created_at`,
  ),
  signal: db.prepare<
    [string, string, string, string, number],
    {
      time: number
      score: number
      direction: 'buy' | 'sell' | 'neutral'
      confidence: number
      reasons: string
    }
  >(
    `SELECT time, score, direction, confidence, reasons FROM signal_history
     WHERE profile = ? AND source = ? AND symbol = ? AND timeframe = ? AND time <= ?
     ORDER BY time DESC LIMIT 1`,
  ),
  riskLimits: db.prepare<[string], { limits: string }>('SELECT limits FROM risk_limits WHERE scope = ?'),
  startingAsset: db.prepare<[string], { starting_asset: string }>(
    'SELECT starting_asset FROM paper_settings WHERE account_id = ?',
  ),
  runIntent: db.prepare<[string, string, string], { strategy_id: string; reason: string | null }>(
    `SELECT r.strategy_id, i.reason FROM strategy_runs r
     LEFT JOIN strategy_intents i ON i.run_id = r.id AND i.client_order_id = ?
     WHERE r.id = ? AND r.account_id = ?`,
  ),
  anySignal: db.prepare<[string, string, string, string], { one: number }>(
    'SELECT 1 AS one FROM signal_history WHERE profile = ? AND source = ? AND symbol = ? AND timeframe = ? LIMIT 1',
  ),
}))

/** The market source of imported accounts: none stores candles or signals under it. */
export const IMPORTED_SOURCE = 'imported'

export function accountsOf(db: Db): JournalAccounts {
  return {
    describe(accountId) {
      const a = statements(db).account.get(accountId)
      if (!a) return null
      // An imported account has no market of its own: its exchange id is a placeholder (`paper`),
      // and the demo market's prices would give its trades a made-up MAE/MFE and signal.
      if (a.mode === 'imported') return { name: a.name, source: IMPORTED_SOURCE }
      return { name: a.name, source: a.exchange_id === DEMO_EXCHANGE_ID ? DEMO_SOURCE : a.exchange_id }
    },
    currencyOf(accountId) {
      const s = statements(db)
      if (!s.account.get(accountId)) return null
      return (
        riskCurrency(s.riskLimits.get(accountId)?.limits) ??
        riskCurrency(s.riskLimits.get('global')?.limits) ??
        s.startingAsset.get(accountId)?.starting_asset ??
        RISK_DEFAULTS.currency
      )
    },
  }
}

/** The `currency` of stored risk limits (src/main/risk), when the trader set one. */
function riskCurrency(limits: string | undefined): string | null {
  if (limits === undefined) return null
  try {
    const c = (JSON.parse(limits) as { currency?: unknown }).currency
    return typeof c === 'string' && c.length > 0 ? c : null
  } catch {
    return null
  }
}

const ORDER_KINDS = new Set<string>([
  'market',
  'limit',
  'stop',
  'stop_limit',
  'take_profit',
  'take_profit_limit',
  'trailing_stop',
  'liquidation',
])

/** The runner's client order ids (runner/service.ts `intentOrderId`): `sr-<runId>-<bar time, base 36>-<seq>`. */
const RUNNER_ORDER_ID = /^sr-(.+)-[0-9a-z]+-\d+$/

export function ordersOf(db: Db): JournalOrders {
  return {
    intentOf(accountId, clientOrderId) {
      const runId = RUNNER_ORDER_ID.exec(clientOrderId)?.[1]
      if (runId === undefined) return null
      const row = statements(db).runIntent.get(clientOrderId, runId, accountId)
      return row ? { strategyId: row.strategy_id, reason: row.reason } : null
    },
    kindOf(accountId, symbol, exchangeOrderId, clientOrderId) {
      const s = statements(db)
      const row =
        (clientOrderId !== null ? s.byClientId.get(accountId, clientOrderId) : undefined) ??
        s.byExchangeId.get(accountId, symbol, exchangeOrderId)
      return row && ORDER_KINDS.has(row.type) ? (row.type as OrderKind) : null
    },
    restingStop(accountId, symbol, closingSide, entryTime, since) {
      const ended = new Set(['canceled', 'rejected', 'expired'])
      for (const r of statements(db).stops.all(
        accountId,
        symbol,
        closingSide,
        entryTime + STOP_GRACE_MS,
        since,
      )) {
        // Ended before the trade opened: it was not protecting it.
        if (ended.has(r.status) && r.updated_at < entryTime) continue
        if (r.stop_price !== null) return r.stop_price
      }
      return null
    },
  }
}

export function candlesOf(db: Db, demo: DemoMarket, clock: Clock): JournalCandles {
  return {
    finest(source, symbol, from, to) {
      if (source === DEMO_SOURCE) {
        if (!demo.symbols.some((s) => s.symbol === symbol)) return null
        const tf: Timeframe = '1m'
        const step = timeframeMs(tf)
        const start = Math.floor(from / step) * step
        const limit = Math.min(20_000, Math.floor((to - start) / step) + 1)
        const cols = demo.candles(symbol, tf, to, limit, clock.now())
        const candles = []
        for (let i = 0; i < cols.time.length; i++) {
          const time = cols.time[i]!
          if (time < start) continue
          candles.push({
            time,
            open: cols.open[i]!,
            high: cols.high[i]!,
            low: cols.low[i]!,
            close: cols.close[i]!,
            volume: cols.volume[i]!,
          })
        }
        return { timeframe: tf, candles }
      }
      const series = finestSeries(storedSeriesOf(db, source, symbol))
      if (!series) return null
      // The bar holding `from` (a week opens on Monday, a month on the 1st: not multiples of a step).
      const start = bucketStart(from, series.timeframe)
      return { timeframe: series.timeframe, candles: readCandleRange(db, series, start, to) }
    },
  }
}

const reasonsSchema = z.array(signalReasonSchema)

export function signalsOf(db: Db): JournalSignals {
  const activeProfile = () => listProfiles(db).find((p) => p.active)?.profile ?? DEFAULT_PROFILE
  return {
    atTime: (source, symbol, time) => signalAt(db, activeProfile(), source, symbol, time),
    pinned() {
      const profile = activeProfile()
      // Series with no row at all (a market never watched) are asked once, not once per trade.
      const stored = new Map<string, boolean>()
      const has = (source: string, symbol: string, tf: Timeframe) => {
        const k = `${source}\u0000${symbol}\u0000${tf}`
        let v = stored.get(k)
        if (v === undefined) {
          v = statements(db).anySignal.get(profile.id, source, symbol, tf) !== undefined
          stored.set(k, v)
        }
        return v
      }
      return { atTime: (source, symbol, time) => signalAt(db, profile, source, symbol, time, has) }
    },
  }
}

function signalAt(
  db: Db,
  profile: SignalProfile,
  source: string,
  symbol: string,
  time: number,
  has: (source: string, symbol: string, tf: Timeframe) => boolean = () => true,
): SignalSnapshot | null {
  // The shortest timeframe whose signal had closed by `time`: the finest view at entry.
  for (const tf of profile.timeframes) {
    if (!has(source, symbol, tf)) continue
    const ms = timeframeMs(tf)
    // The newest bar closed by `time` opens one bar before the one holding it (exact for 1M).
    const row = statements(db).signal.get(
      profile.id,
      source,
      symbol,
      tf,
      barsBack(bucketStart(time, tf), 1, tf),
    )
    // A signal more than two bars old is not the one in force at entry.
    if (!row || row.time + 3 * ms < time) continue
    let reasons: SignalSnapshot['reasons'] = []
    try {
      reasons = reasonsSchema.parse(JSON.parse(row.reasons))
    } catch {
      reasons = []
    }
    return {
      profile: profile.id,
      timeframe: tf,
      time: row.time,
      score: row.score,
      direction: row.direction,
      confidence: row.confidence,
      reasons,
    }
  }
  return null
}
